"""The redeploy exercise of `make lint-template` (issue 19), in moto's CloudFormation: the
translated stacks (stack_check.py --translated DIR writes them) are deployed, deleted and deployed
again, as `sam deploy` and `sam delete` would:
  1. the state's stack (data.yaml), then the functions' stack, which imports its exports; the
     state's security event pipe reads the table's stream and puts on the state's bus;
  2. a user's item written to the table;
  3. `sam delete` of the functions' stack, then `sam deploy` again: no name collides, and the new
     functions use the same table, where the item still is, and the pipe stayed;
  4. the state's own resources are retained when its stack is deleted, so a second state stack
     for the same stage collides: that is why the state is its own stack, never deleted by
     `sam delete`, and why a stage is thrown away with teardown.py; the bus and the pipe hold
     nothing and go with the stack;
  5. teardown.py refuses a prod environment, a stage whose table has deletion protection and one
     whose bus has rules (someone's routing), then removes a stage entirely: afterwards both
     stacks deploy again.
moto's CloudFormation lacks AWS::SecretsManager::Secret and AWS::Pipes::Pipe: they are added
below as CloudFormation does them (a generated string, the ARN as Ref; a pipe in moto's Pipes
API, which moves no records: what the pipe forwards is AWS's to show), and its
AWS::Events::EventBus is given CloudFormation's Ref, the bus's name. It skips alarms, the
dashboard and the HTTP API (their names are the stack's own and go with it). What moto cannot
show, CloudFormation documents: an export in use by another stack can be neither changed nor
deleted, so a change of Stage or TableName to the state's stack is refused while the functions'
stack imports it.

Runs with .venv's Python (moto): `redeploy_check.py DIR`.
"""

import io
import json
import logging
import os
import secrets
import sys
import warnings
import zipfile

import boto3
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID as ACCOUNT
from moto.core.common_models import CloudFormationModel
from moto.events.models import EventBus
from moto.kms.models import kms_backends
from moto.pipes.models import pipes_backends
from moto.secretsmanager.models import secretsmanager_backends

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import teardown  # noqa: E402

STAGE = "ci"
DATA_STACK, FUNCTIONS_STACK = f"rax-mfa-{STAGE}-data", f"rax-mfa-{STAGE}"


class Secret(CloudFormationModel):
    """AWS::SecretsManager::Secret, for moto's CloudFormation: Name and GenerateSecretString."""

    __module__ = "moto.secretsmanager.cloudformation"  # moto files models by their service

    def __init__(self, arn, backend):
        self.arn, self.backend = arn, backend

    @staticmethod
    def cloudformation_type():
        return "AWS::SecretsManager::Secret"

    @staticmethod
    def cloudformation_name_type():
        return "Name"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                        region_name, **kwargs):
        props = cloudformation_json["Properties"]
        backend = secretsmanager_backends[account_id][region_name]
        backend.create_secret(name=props.get("Name", resource_name),
                              secret_string=secrets.token_hex(32), secret_binary=None,
                              description=props.get("Description"), tags=[], kms_key_id=None,
                              client_request_token=None, replica_regions=[],
                              force_overwrite=False)
        return cls(backend.describe_secret(props.get("Name", resource_name)).arn, backend)

    @property
    def physical_resource_id(self):
        return self.arn

    def delete(self, account_id, region_name):
        self.backend.delete_secret(self.arn, None, True)


class Pipe(CloudFormationModel):
    """AWS::Pipes::Pipe, for moto's CloudFormation: the pipe made in moto's Pipes API (its name,
    as CloudFormation's, generated when the template gives none; Ref is the name)."""

    __module__ = "moto.pipes.cloudformation"

    def __init__(self, name, backend):
        self.name, self.backend = name, backend

    @staticmethod
    def cloudformation_type():
        return "AWS::Pipes::Pipe"

    @staticmethod
    def cloudformation_name_type():
        return "Name"

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id,
                                        region_name, **kwargs):
        props = cloudformation_json["Properties"]
        backend = pipes_backends[account_id][region_name]
        name = props.get("Name", resource_name)
        backend.create_pipe(name=name, description=props.get("Description"),
                            desired_state=props.get("DesiredState"), source=props["Source"],
                            source_parameters=props.get("SourceParameters"),
                            enrichment=props.get("Enrichment"),
                            enrichment_parameters=props.get("EnrichmentParameters"),
                            target=props["Target"],
                            target_parameters=props.get("TargetParameters"),
                            role_arn=props["RoleArn"], tags=props.get("Tags"),
                            log_configuration=props.get("LogConfiguration"),
                            kms_key_identifier=props.get("KmsKeyIdentifier"))
        return cls(name, backend)

    @property
    def physical_resource_id(self):
        return self.name

    def delete(self, account_id, region_name):
        self.backend.delete_pipe(self.name)


# moto's bus has no Ref (it would put the object itself into an output); CloudFormation's is the
# name.
EventBus.physical_resource_id = property(lambda bus: bus.name)


def fail(text):
    sys.exit(f"redeploy check: {text}")


def deploy(cloudformation, stack, template, parameters):
    """create_stack as `sam deploy` of a new stack; the error text if CloudFormation refuses."""
    try:
        cloudformation.create_stack(
            StackName=stack, TemplateBody=json.dumps(template), Capabilities=["CAPABILITY_IAM"],
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()])
    except Exception as e:  # moto answers a collision with the service's error, unparsed
        return str(e)
    status = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
    return None if status == "CREATE_COMPLETE" else status


def pipes(session):
    """(source, target) of every pipe."""
    client = session.client("pipes")
    return [(p["Source"], p["Target"]) for p in client.list_pipes()["Pipes"]]


def buses(session):
    """The custom event buses."""
    return [b["Name"] for b in session.client("events").list_event_buses()["EventBuses"]
            if b["Name"] != "default"]


def check_trail(session, state):
    """The state's pipe reads its table's stream and puts on its bus, and is the only pipe."""
    stream = session.client("dynamodb").describe_table(
        TableName=state["TableName"])["Table"].get("LatestStreamArn")
    expected = [(stream, state["SecurityEventBusArn"])]
    if stream is None or pipes(session) != expected:
        fail(f"the pipes are {pipes(session)}, not one from {stream} to the bus")
    if buses(session) != [state["SecurityEventBusName"]]:
        fail(f"the event buses are {buses(session)}, not {state['SecurityEventBusName']}")


def functions_table(session):
    """The TABLE_NAME every deployed function is configured with."""
    names = set()
    for function in session.client("lambda").list_functions()["Functions"]:
        names.add(function.get("Environment", {}).get("Variables", {}).get("TABLE_NAME"))
    return names


def main():
    directory = sys.argv[1]
    app = json.load(open(os.path.join(directory, "template.json")))
    data = json.load(open(os.path.join(directory, "data.json")))
    data_parameters = {"Stage": STAGE, "TableDeletionProtection": "false"}
    app_parameters = {"Stage": STAGE, "WebAuthnRpId": "id.example.com",
                      "WebAuthnOrigins": "https://id.example.com"}
    os.environ.update(AWS_ACCESS_KEY_ID="offline", AWS_SECRET_ACCESS_KEY="offline")
    # moto names each resource type it skips, for every resource: the docstring says which.
    warnings.simplefilter("ignore")
    logging.getLogger("moto").setLevel(logging.ERROR)

    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        cloudformation = session.client("cloudformation")
        s3 = session.client("s3")
        s3.create_bucket(Bucket="bucket")  # the CodeUri stack_check.py gives every function
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as z:
            z.writestr("bootstrap", "")
        s3.put_object(Bucket="bucket", Key="code.zip", Body=code.getvalue())

        def deploy_stage(when):
            """The state's stack, then the functions' (which imports its exports)."""
            for stack, template, parameters in [(DATA_STACK, data, data_parameters),
                                                (FUNCTIONS_STACK, app, app_parameters)]:
                if error := deploy(cloudformation, stack, template, parameters):
                    fail(f"{stack} {when}: {error}")

        deploy_stage("from nothing")
        _, state = teardown.outputs(cloudformation, DATA_STACK)
        table = state["TableName"]
        check_trail(session, state)
        dynamodb = session.client("dynamodb")
        item = {"PK": {"S": "USER#redeploy"}, "SK": {"S": "PROFILE"}}
        dynamodb.put_item(TableName=table, Item=item)

        cloudformation.delete_stack(StackName=FUNCTIONS_STACK)
        if error := deploy(cloudformation, FUNCTIONS_STACK, app, app_parameters):
            fail(f"redeploying the functions after sam delete: {error}")
        if functions_table(session) != {table}:
            fail(f"the redeployed functions use {functions_table(session)}, not {table}")
        if "Item" not in dynamodb.get_item(TableName=table, Key=item):
            fail("the user's item is gone after the redeploy")
        check_trail(session, state)
        say(f"sam delete, then sam deploy of {FUNCTIONS_STACK}: no collision; its functions "
            f"use {table} again, whose data is intact; the security event pipe stayed")

        cloudformation.delete_stack(StackName=FUNCTIONS_STACK)
        cloudformation.delete_stack(StackName=DATA_STACK)
        if pipes(session) or buses(session):
            fail(f"the state's stack left {pipes(session)} {buses(session)} behind")
        error = deploy(cloudformation, f"{DATA_STACK}-again", data, data_parameters)
        if error is None or table not in error:
            fail(f"a second state stack for the retained table was not refused: {error}")
        say(f"the state's resources outlive its stack: deploying it again collides ({table}); "
            "its bus and pipe went with it")

        # Start over from a whole stage, then throw it away with teardown.py.
        dynamodb.delete_table(TableName=table)
        secretsmanager = session.client("secretsmanager")
        secretsmanager.delete_secret(SecretId=state["CodePepperSecretArn"],
                                     ForceDeleteWithoutRecovery=True)
        deploy_stage("from nothing, again")
        refused_while_protected(session, cloudformation)
        state = teardown.teardown(session, FUNCTIONS_STACK, DATA_STACK)
        left = dynamodb.list_tables()["TableNames"] + [
            s["Name"] for s in secretsmanager.list_secrets()["SecretList"]] + pipes(
            session) + buses(session)
        # Read from moto's backend: its DescribeKey fails on a key CloudFormation made.
        key = kms_backends[ACCOUNT]["us-east-1"].keys[state["OtpSecretKeyArn"].rsplit("/")[-1]]
        if left or key.key_state != "PendingDeletion":
            fail(f"teardown left {left}, key {key.key_state}")
        deploy_stage("after teardown")
        say("teardown.py removes a stage, state included: it deploys again from nothing")


def refused_while_protected(session, cloudformation):
    """teardown.py refuses a prod environment before touching AWS, a stage whose table has
    deletion protection and one whose security event bus has rules, deleting nothing."""
    for refused, expected in [(lambda: teardown_main(["prod"]), "production stage"),
                              (lambda: protected_teardown(session, cloudformation),
                               "deletion protection"),
                              (lambda: routed_teardown(session, cloudformation), "has rules")]:
        try:
            refused()
        except SystemExit as e:
            if expected not in str(e):
                fail(f"teardown refused with {e!r}, not for its {expected}")
        else:
            fail(f"teardown went ahead despite the {expected}")
    gone = [s for s in (DATA_STACK, FUNCTIONS_STACK) if not teardown.exists(cloudformation, s)]
    if gone:
        fail(f"a refused teardown deleted {gone}")


def teardown_main(args):
    saved = sys.argv
    sys.argv = ["teardown.py", *args, "--yes"]
    try:
        teardown.main()
    finally:
        sys.argv = saved


def protected_teardown(session, cloudformation):
    """A teardown of the stage while its table has deletion protection (as prod's has; moto has
    no termination protection to try)."""
    _, state = teardown.outputs(cloudformation, DATA_STACK)
    dynamodb = session.client("dynamodb")
    dynamodb.update_table(TableName=state["TableName"], DeletionProtectionEnabled=True)
    try:
        teardown.teardown(session, FUNCTIONS_STACK, DATA_STACK)
    finally:
        dynamodb.update_table(TableName=state["TableName"], DeletionProtectionEnabled=False)


def routed_teardown(session, cloudformation):
    """A teardown of the stage while an operator's rule routes its security events."""
    _, state = teardown.outputs(cloudformation, DATA_STACK)
    events = session.client("events")
    bus = state["SecurityEventBusName"]
    events.put_rule(Name="to-siem", EventBusName=bus,
                    EventPattern=json.dumps({"source": ["rax-mfa"]}))
    try:
        teardown.teardown(session, FUNCTIONS_STACK, DATA_STACK)
    finally:
        events.delete_rule(Name="to-siem", EventBusName=bus)


def say(text):
    print(f"==> redeploy check: {text}", file=sys.stderr)


if __name__ == "__main__":
    main()
