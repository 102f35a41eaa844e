"""Running on AWS Lambda and getting there: the package, the deploy steps, and the handler's edge pieces.

Nothing here imports boto3 at module level: the handler's path must not pay for it on a cold start, and the
deploy commands import it when they run.
"""
