"""The HTTP edge: Starlette routes that decode requests, call one use case, and encode the answer."""
