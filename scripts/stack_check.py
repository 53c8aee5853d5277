"""The stack check of `make lint-template` (issue 19): translate template.yaml with the SAM
translator, offline, into the CloudFormation that `sam deploy` would create, and check what
cfn-lint cannot see across resources:
  - every route of every function's HttpApi events is in the API's generated OpenAPI body with an
    aws_proxy integration that invokes that very function (payload 2.0), and the $default route
    invokes not-found;
  - every function has an invoke permission for API Gateway, scoped to this API;
  - every function logs to a log group of the stack (LoggingConfig) that has a retention, so
    that its logs neither outlive the stack nor stay forever;
  - every Ref, GetAtt and ${...} in every function role's policies names a resource of the stack,
    a parameter or a pseudo parameter.
Runs with .venv-deploy's Python (aws-sam-cli brings the translator and its YAML loader):
`stack_check.py [TEMPLATE]`, template.yaml by default.
"""

import copy
import logging
import os
import re
import sys

from samcli.yamlhelper import yaml_parse
from samtranslator.translator.transform import transform

# The translator warns about usage metrics nobody publishes here, once per translation.
logging.getLogger("samtranslator.metrics").setLevel(logging.ERROR)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Parameters without a default need a value to translate; any valid one does.
REQUIRED = {"WebAuthnRpId": "id.example.com", "WebAuthnOrigins": "https://id.example.com"}


class NoManagedPolicies:
    """The translator asks for AWS managed policy ARNs only for policies named by name; the
    template names none, so nothing is looked up (and nothing leaves the machine)."""

    def load(self):
        return {}


def translated(template):
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = "s3://bucket/code.zip"  # as `sam package` would
    return transform(template, REQUIRED, NoManagedPolicies())


def declared_routes(template):
    """(METHOD, path, logical id) of every HttpApi event; the $default route has no path."""
    routes = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event in (resource["Properties"].get("Events") or {}).values():
            if event["Type"] == "HttpApi":
                props = event.get("Properties") or {}
                routes.append((props.get("Method", "ANY").upper(), props.get("Path", "$default"),
                               logical_id))
    return routes


def integration_target(operation):
    integration = operation.get("x-amazon-apigateway-integration") or {}
    uri = integration.get("uri", {}).get("Fn::Sub", "")
    match = re.search(r"functions/\$\{(\w+)\.Arn\}/invocations", uri)
    ok = integration.get("type") == "aws_proxy" and integration.get("payloadFormatVersion") == "2.0"
    return match.group(1) if match and ok else None


def references(value):
    """Every resource, parameter or pseudo parameter a policy value refers to."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref":
                yield inner
            elif key == "Fn::GetAtt":
                yield inner[0] if isinstance(inner, list) else inner.split(".")[0]
            elif key == "Fn::Sub":
                text, local = (inner, {}) if isinstance(inner, str) else (inner[0], inner[1])
                for name in re.findall(r"\$\{([^}!]+)\}", text):
                    name = name.split(".")[0]
                    if name not in local:
                        yield name
                yield from references(local)
            else:
                yield from references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from references(inner)


def check(source):
    """(problems, summary) of a parsed template."""
    routes = declared_routes(source)
    parameters = set(source.get("Parameters", {}))
    resources = translated(copy.deepcopy(source))["Resources"]
    problems = []

    body = resources["HttpApi"]["Properties"]["Body"]["paths"]
    for method, path, function in routes:
        operations = body.get(path, {})
        operation = operations.get("x-amazon-apigateway-any-method" if method == "ANY"
                                   else method.lower())
        if operation is None:
            problems.append(f"{method} {path}: not in the API")
        elif integration_target(operation) != function:
            problems.append(f"{method} {path}: does not invoke {function}")

    functions = [k for k, v in resources.items() if v["Type"] == "AWS::Lambda::Function"]
    permitted = set()
    for resource in resources.values():
        props = resource["Properties"]
        if resource["Type"] == "AWS::Lambda::Permission" \
                and props.get("Principal") == "apigateway.amazonaws.com" \
                and props.get("Action") == "lambda:InvokeFunction" \
                and "HttpApi" in set(references(props.get("SourceArn"))):
            permitted.add(props["FunctionName"].get("Ref"))
    for function in functions:
        if function not in permitted:
            problems.append(f"{function}: API Gateway may not invoke it")

    for function in functions:
        config = resources[function]["Properties"].get("LoggingConfig") or {}
        group = (config.get("LogGroup") or {}).get("Ref")
        props = (resources.get(group) or {}).get("Properties", {})
        if resources.get(group, {}).get("Type") != "AWS::Logs::LogGroup":
            problems.append(f"{function}: does not log to a log group of the stack")
        elif "RetentionInDays" not in props:
            problems.append(f"{function}: its log group {group} keeps logs forever")

    known = set(resources) | parameters
    checked = 0
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for policy in resource["Properties"].get("Policies", []):
            for name in references(policy["PolicyDocument"]):
                checked += 1
                if name not in known and not name.startswith("AWS::"):
                    problems.append(f"{logical_id}: its policy names {name}, not in the stack")

    summary = (f"{len(routes)} routes each invoke their function, {len(functions)} functions "
               f"invocable by the API and logging to a log group of the stack with a retention, "
               f"{checked} policy references resolve ({len(resources)} resources after "
               f"translation)")
    return problems, summary


def self_test(source):
    """The check finds each kind of break, made in a copy of the real template. (Two functions
    on one route need no case: the translator itself refuses them.)"""
    def broken(change):
        copy_ = copy.deepcopy(source)
        change(copy_["Resources"])
        return check(copy_)[0]

    def unlogged(r):
        del r["GetUserFunction"]["Properties"]["LoggingConfig"]

    def forever(r):
        del r["GetUserLogs"]["Properties"]["RetentionInDays"]

    def misspelt(r):
        statement = r["GetUserFunction"]["Properties"]["Policies"][0]["Statement"][0]
        statement["Resource"] = {"Fn::GetAtt": ["Tabel", "Arn"]}

    for name, change, expected in [
        ("a function without its log group", unlogged, "GetUserFunction: does not log"),
        ("a log group without retention", forever, "GetUserFunction: its log group"),
        ("a policy naming no resource", misspelt, "its policy names Tabel"),
    ]:
        problems = broken(change)
        if len(problems) != 1 or expected not in problems[0]:
            sys.exit(f"stack check self-test: {name}: {problems}")


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "template.yaml")
    source = yaml_parse(open(path).read())
    problems, summary = check(source)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(f"stack check: {len(problems)} problems")
    self_test(source)
    print(f"==> stack check: {summary}; it finds a missing log group, a retention-less one and a policy naming no resource "
          "(self-test)", file=sys.stderr)


if __name__ == "__main__":
    main()
