"""The stack check of `make lint-template` (issue 19): translate template.yaml with the SAM
translator, offline, into the CloudFormation that `sam deploy` would create, and check what
cfn-lint cannot see across resources:
  - every route of every function's HttpApi events is in the API's generated OpenAPI body with an
    aws_proxy integration that invokes that very function (payload 2.0), and the $default route
    invokes not-found;
  - every function has an invoke permission for API Gateway, scoped to this API;
  - every function logs to a log group of the stack (LoggingConfig) that has a retention, so
    that its logs neither outlive the stack nor stay forever;
  - every function has its alarms (Lambda errors, throttles, duration) and the stack those of the
    API, the table and SMS, each notifying the stack's alarm topic;
  - every Ref, GetAtt and ${...} in every function role's policies names a resource of the stack,
    a parameter or a pseudo parameter, and every Fn::ImportValue an export of data.yaml (the
    state's stack) for the same Stage.
Runs with .venv-deploy's Python (aws-sam-cli brings the translator and its YAML loader):
`stack_check.py [--translated DIR] [TEMPLATE]`, template.yaml by default (data.yaml beside it);
with --translated, both stacks are also written to DIR as CloudFormation JSON.
"""

import copy
import json
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


# What the stack must watch besides each function: (namespace, metric) of its alarms.
STACK_ALARMS = {("AWS/ApiGateway", "5xx"), ("AWS/ApiGateway", "Latency"),
                ("AWS/DynamoDB", "ReadThrottleEvents"), ("AWS/DynamoDB", "WriteThrottleEvents"),
                ("AWS/DynamoDB", "SystemErrors"), ("AWS/SNS", "NumberOfNotificationsFailed"),
                ("AWS/SNS", "SMSMonthToDateSpentUSD")}
FUNCTION_ALARMS = {"Errors", "Throttles", "Duration"}


def alarm_metrics(alarm):
    """(namespace, metric, dimensions) of each metric an alarm reads, plain or in its math."""
    props = alarm["Properties"]
    stats = [m["MetricStat"]["Metric"] for m in props.get("Metrics", []) if "MetricStat" in m]
    if "MetricName" in props:
        stats.append(props)
    for stat in stats:
        dimensions = {d["Name"]: d["Value"] for d in stat.get("Dimensions", [])}
        yield stat["Namespace"], stat["MetricName"], dimensions


def exports(data_template):
    """The export names data.yaml declares, as the ${Stage} text they are made of."""
    return {output["Export"]["Name"]["Fn::Sub"]
            for output in data_template["Outputs"].values() if "Export" in output}


def imports(value):
    """The Fn::Sub text of every Fn::ImportValue in a value."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Fn::ImportValue":
                yield inner.get("Fn::Sub") if isinstance(inner, dict) else inner
            else:
                yield from imports(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from imports(inner)


def check(source, data_template):
    """(problems, summary) of a parsed template and the state's template it imports from."""
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

    watched = {}
    covered = set()
    for logical_id, resource in resources.items():
        if resource["Type"] != "AWS::CloudWatch::Alarm":
            continue
        props = resource["Properties"]
        if {"Ref": "AlarmTopic"} not in props.get("AlarmActions", []):
            problems.append(f"{logical_id}: does not notify AlarmTopic")
        for namespace, name, dimensions in alarm_metrics(resource):
            covered.add((namespace, name))
            function = (dimensions.get("FunctionName") or {}).get("Ref")
            if namespace == "AWS/Lambda" and function:
                watched.setdefault(function, set()).add(name)
    for function in functions:
        missing = FUNCTION_ALARMS - watched.get(function, set())
        if missing:
            problems.append(f"{function}: no alarm on {', '.join(sorted(missing))}")
    for namespace, name in sorted(STACK_ALARMS - covered):
        problems.append(f"no alarm on {namespace} {name}")

    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::CloudWatch::Dashboard":
            body = resource["Properties"]["DashboardBody"]["Fn::Sub"][0]
            try:
                json.loads(re.sub(r"\$\{[^}]+\}", "x", body))
            except ValueError as e:
                problems.append(f"{logical_id}: its body is not JSON: {e}")

    exported = exports(data_template)
    imported = list(imports(resources))
    for name in sorted(set(imported) - exported):
        problems.append(f"imports {name}, which data.yaml does not export")

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

    alarms = sum(1 for r in resources.values() if r["Type"] == "AWS::CloudWatch::Alarm")
    summary = (f"{len(routes)} routes each invoke their function, {len(functions)} functions "
               f"invocable by the API, logging to a log group of the stack with a retention and "
               f"alarmed ({alarms} alarms to the topic), {checked} policy references resolve, "
               f"{len(imported)} imports are data.yaml's exports ({len(resources)} resources "
               f"after translation)")
    return problems, summary


def self_test(source, data_template):
    """The check finds each kind of break, made in a copy of the real template. (Two functions
    on one route need no case: the translator itself refuses them.)"""
    def broken(change):
        copy_ = copy.deepcopy(source)
        change(copy_["Resources"])
        return check(copy_, data_template)[0]

    def unlogged(r):
        del r["GetUserFunction"]["Properties"]["LoggingConfig"]

    def forever(r):
        del r["GetUserLogs"]["Properties"]["RetentionInDays"]

    def misspelt(r):
        statement = r["GetUserFunction"]["Properties"]["Policies"][0]["Statement"][0]
        statement["Resource"] = {"Fn::GetAtt": ["Tabel", "Arn"]}

    def unalarmed(r):
        del r["GetUserThrottlesAlarm"]

    def silent(r):
        r["ApiLatencyAlarm"]["Properties"]["AlarmActions"] = []

    def unexported(r):
        r["GetUserFunction"]["Properties"]["Environment"] = {"Variables": {
            "X": {"Fn::ImportValue": {"Fn::Sub": "rax-mfa-${Stage}-tabel-name"}}}}

    for name, change, expected in [
        ("a function without an alarm", unalarmed, "GetUserFunction: no alarm on Throttles"),
        ("an alarm notifying nobody", silent, "ApiLatencyAlarm: does not notify AlarmTopic"),
        ("an import nobody exports", unexported, "imports rax-mfa-${Stage}-tabel-name"),
        ("a function without its log group", unlogged, "GetUserFunction: does not log"),
        ("a log group without retention", forever, "GetUserFunction: its log group"),
        ("a policy naming no resource", misspelt, "its policy names Tabel"),
    ]:
        problems = broken(change)
        if len(problems) != 1 or expected not in problems[0]:
            sys.exit(f"stack check self-test: {name}: {problems}")


def main():
    args = sys.argv[1:]
    translated_dir = None
    if "--translated" in args:  # for redeploy_check.py: both stacks as CloudFormation JSON
        at = args.index("--translated")
        translated_dir = args[at + 1]
        del args[at:at + 2]
    path = args[0] if args else os.path.join(ROOT, "template.yaml")
    source = yaml_parse(open(path).read())
    data_template = yaml_parse(open(os.path.join(os.path.dirname(path), "data.yaml")).read())
    problems, summary = check(source, data_template)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(f"stack check: {len(problems)} problems")
    self_test(source, data_template)
    if translated_dir:
        for name, template in [("template.json", translated(copy.deepcopy(source))),
                               ("data.json", data_template)]:
            with open(os.path.join(translated_dir, name), "w") as f:
                json.dump(template, f)
    print(f"==> stack check: {summary}; it finds a missing log group, a retention-less one, a "
          "policy naming no resource, a missing or silent alarm and an import nobody exports "
          "(self-test)", file=sys.stderr)


if __name__ == "__main__":
    main()
