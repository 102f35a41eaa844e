"""Getting the function onto AWS Lambda: the package, the deploy steps, staging and promote, the site and the CDN
checks. What runs inside the function beside the app is `on_lambda/`.

Nothing here imports boto3 at module level: the handler's path must not pay for it on a cold start, and the
deploy commands import it when they run.
"""
