"""What runs inside the Lambda function around the app: JSON log lines, the CloudFront origin check, settings from
SSM, and the mail hand-off by asynchronous self-invocation. Deploying the function is `deploy/`'s work."""
