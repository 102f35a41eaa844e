"""The template's edge: the private bucket with origin access control, the dispatch page's fallback function,
and the distribution whose ordered behaviors come from the routing table in `cdn.py`."""

from __future__ import annotations

from typing import Any

from shipcaptaincrew.deploy import cdn
from shipcaptaincrew.deploy.cdn import DEFAULT, ROUTES, Route

ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
MANIFEST_FOLDER = ".scc"
"""Where `scc site deploy` keeps its manifests; CloudFront may not read it."""
ORIGIN_RESOURCE = {cdn.PROD_FUNCTION: "ProdUrl", cdn.STAGING_FUNCTION: "StagingUrl"}

FALLBACK_CODE = """\
// The dispatch page's fallback: a path without a file extension is the page itself (index.html of the
// copy it is under). Only the S3 behaviors run this, so a guest page's 404 stays the application's.
function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    var staging = uri === '/_staging' || uri.indexOf('/_staging/') === 0;
    request.uri = staging ? '/_staging/index.html' : '/index.html';
  }
  return request;
}
"""


def resources() -> dict[str, Any]:
    return {
        "SiteBucket": _bucket(),
        "SiteBucketPolicy": _bucket_policy(),
        "SiteOriginAccessControl": {
            "Type": "AWS::CloudFront::OriginAccessControl",
            "Properties": {
                "OriginAccessControlConfig": {
                    "Name": {"Fn::Sub": "${AWS::StackName}-site"},
                    "OriginAccessControlOriginType": "s3",
                    "SigningBehavior": "always",
                    "SigningProtocol": "sigv4",
                }
            },
        },
        "DispatchFallback": {
            "Type": "AWS::CloudFront::Function",
            "Properties": {
                "Name": {"Fn::Sub": "${AWS::StackName}-dispatch-fallback"},
                "AutoPublish": True,
                "FunctionConfig": {
                    "Comment": "The dispatch page for paths without a file extension",
                    "Runtime": "cloudfront-js-2.0",
                },
                "FunctionCode": FALLBACK_CODE,
            },
        },
        "Distribution": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": _config()}},
    }


def _bucket() -> dict[str, Any]:
    return {
        "Type": "AWS::S3::Bucket",
        "DeletionPolicy": "Retain",
        "UpdateReplacePolicy": "Retain",
        "Properties": {
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            },
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
            "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
            },
            "VersioningConfiguration": {"Status": "Enabled"},
        },
    }


def _bucket_policy() -> dict[str, Any]:
    cloudfront = {"Service": "cloudfront.amazonaws.com"}
    from_distribution = {
        "StringEquals": {
            "AWS:SourceArn": {
                "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"
            }
        }
    }
    return {
        "Type": "AWS::S3::BucketPolicy",
        "Properties": {
            "Bucket": {"Ref": "SiteBucket"},
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "CloudFrontReadsTheSite",
                        "Effect": "Allow",
                        "Principal": cloudfront,
                        "Action": "s3:GetObject",
                        "Resource": {"Fn::Sub": "${SiteBucket.Arn}/*"},
                        "Condition": from_distribution,
                    },
                    {
                        "Sid": "NotTheDeployManifests",
                        "Effect": "Deny",
                        "Principal": cloudfront,
                        "Action": "s3:GetObject",
                        "Resource": [
                            {"Fn::Sub": f"${{SiteBucket.Arn}}/{MANIFEST_FOLDER}/*"},
                            {"Fn::Sub": f"${{SiteBucket.Arn}}/_staging/{MANIFEST_FOLDER}/*"},
                        ],
                    },
                ],
            },
        },
    }


def _config() -> dict[str, Any]:
    return {
        "Enabled": True,
        "Comment": {"Fn::Sub": "${AWS::StackName}: routes from shipcaptaincrew/deploy/cdn.py"},
        "DefaultRootObject": "index.html",
        "HttpVersion": "http2and3",
        "IPV6Enabled": True,
        "PriceClass": "PriceClass_100",
        "Origins": [_site_origin(), _function_origin(cdn.PROD_FUNCTION), _function_origin(cdn.STAGING_FUNCTION)],
        "CacheBehaviors": [{"PathPattern": route.pattern, **_behavior(route)} for route in ROUTES],
        "DefaultCacheBehavior": _behavior(DEFAULT),
    }


def _site_origin() -> dict[str, Any]:
    return {
        "Id": cdn.SITE,
        "DomainName": {"Fn::GetAtt": ["SiteBucket", "RegionalDomainName"]},
        "OriginAccessControlId": {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]},
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }


def _function_origin(origin: str) -> dict[str, Any]:
    url = {"Fn::GetAtt": [ORIGIN_RESOURCE[origin], "FunctionUrl"]}
    return {
        "Id": origin,
        "DomainName": {"Fn::Select": [2, {"Fn::Split": ["/", url]}]},
        "CustomOriginConfig": {
            "OriginProtocolPolicy": "https-only",
            "HTTPSPort": 443,
            "OriginSSLProtocols": ["TLSv1.2"],
        },
        "OriginCustomHeaders": [{"HeaderName": cdn.ORIGIN_SECRET_HEADER, "HeaderValue": {"Ref": "OriginSecret"}}],
    }


def _behavior(route: Route) -> dict[str, Any]:
    common = {"TargetOriginId": route.origin, "ViewerProtocolPolicy": "redirect-to-https", "Compress": True}
    if route.function:
        return {
            **common,
            "AllowedMethods": ALL_METHODS,
            "CachedMethods": ["GET", "HEAD"],
            "CachePolicyId": cdn.CACHING_DISABLED,
            "OriginRequestPolicyId": cdn.ALL_VIEWER_EXCEPT_HOST_HEADER,
        }
    return {
        **common,
        "AllowedMethods": ["GET", "HEAD"],
        "CachePolicyId": cdn.CACHING_OPTIMIZED,
        "FunctionAssociations": [
            {"EventType": "viewer-request", "FunctionARN": {"Fn::GetAtt": ["DispatchFallback", "FunctionARN"]}}
        ],
    }
