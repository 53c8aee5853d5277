"""`make teardown ENV=dev`: remove a stage entirely, its state included (issue 19).

`sam delete` removes the functions' stack; deleting the state's stack (data.yaml) leaves the
table, the code pepper and the key behind on purpose (DeletionPolicy: Retain), and their names stay
taken. For a stage meant to be thrown away this deletes, in order: the functions' stack, the
state's stack (with it the security event bus, pipe and the pipe's role, which hold nothing), then
the retained table, the secret (without a recovery window, so that its name is free again at once)
and the key (scheduled, after the 7-day minimum). It refuses a stage whose state's stack has
termination protection (the pipeline turns it on for prod), whose table has deletion protection or
whose security event bus has rules (an operator's routing, perhaps another stack's: theirs to
remove), and any environment whose name starts with "prod".

Stacks and region are samconfig.toml's: ENV's and ENV-data's. Runs with .venv-deploy's Python
(boto3): `teardown.py ENV [--yes]`.
"""

import os
import sys
import tomllib

import boto3

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def say(text):
    print(f"==> {text}", file=sys.stderr)


def stacks_of(env):
    """(functions' stack, state's stack, region) of a samconfig environment."""
    with open(os.path.join(ROOT, "samconfig.toml"), "rb") as f:
        config = tomllib.load(f)
    try:
        functions = config[env]["deploy"]["parameters"]
        data = config[f"{env}-data"]["deploy"]["parameters"]
    except KeyError:
        sys.exit(f"samconfig.toml has no environments {env} and {env}-data")
    return functions["stack_name"], data["stack_name"], data.get("region")


def outputs(cloudformation, stack):
    described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    return described, {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}


def exists(cloudformation, stack):
    try:
        cloudformation.describe_stacks(StackName=stack)
        return True
    except cloudformation.exceptions.ClientError as e:
        if "does not exist" in str(e):
            return False
        raise


def delete_stack(cloudformation, stack):
    if not exists(cloudformation, stack):
        say(f"{stack}: no such stack")
        return
    say(f"{stack}: deleting")
    cloudformation.delete_stack(StackName=stack)
    cloudformation.get_waiter("stack_delete_complete").wait(StackName=stack)


def teardown(session, functions_stack, data_stack):
    """Deletes both stacks and the state they retain; refuses a protected stage."""
    cloudformation = session.client("cloudformation")
    if not exists(cloudformation, data_stack):
        sys.exit(f"{data_stack}: no such stack (nothing retained to find)")
    described, state = outputs(cloudformation, data_stack)
    if described.get("EnableTerminationProtection"):
        sys.exit(f"{data_stack} has termination protection: this stage is not to be torn down")
    dynamodb = session.client("dynamodb")
    try:
        table = dynamodb.describe_table(TableName=state["TableName"])["Table"]
    except dynamodb.exceptions.ResourceNotFoundException:
        sys.exit(f"table {state['TableName']} is gone already: delete the rest by hand")
    if table.get("DeletionProtectionEnabled"):
        sys.exit(f"table {state['TableName']} has deletion protection "
                 "(deploy the state with TableDeletionProtection=false first)")
    bus = state.get("SecurityEventBusName")  # absent from a state deployed before the trail
    if bus:
        pages = session.client("events").get_paginator("list_rules").paginate(EventBusName=bus)
        rules = [rule["Name"] for page in pages for rule in page["Rules"]]
        if rules:
            sys.exit(f"event bus {bus} has rules ({', '.join(rules)}): delete them, or the "
                     "stacks that made them, first")

    delete_stack(cloudformation, functions_stack)
    delete_stack(cloudformation, data_stack)
    say(f"table {state['TableName']}: deleting")
    dynamodb.delete_table(TableName=state["TableName"])
    dynamodb.get_waiter("table_not_exists").wait(TableName=state["TableName"])
    say("code pepper: deleting without a recovery window (its name is free again)")
    session.client("secretsmanager").delete_secret(SecretId=state["CodePepperSecretArn"],
                                                   ForceDeleteWithoutRecovery=True)
    say("key: scheduling its deletion in 7 days (keys have no name to collide)")
    key_id = state["OtpSecretKeyArn"].rsplit("/", 1)[-1]  # the id: what every KMS emulator takes
    session.client("kms").schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
    return state


def main():
    args = [a for a in sys.argv[1:] if a != "--yes"]
    if len(args) != 1:
        sys.exit("usage: teardown.py ENV [--yes]   (ENV and ENV-data of samconfig.toml)")
    if args[0].startswith("prod"):
        sys.exit(f"{args[0]}: a production stage is never torn down by this script")
    functions_stack, data_stack, region = stacks_of(args[0])
    if "--yes" not in sys.argv:
        answer = input(f"Delete {functions_stack}, {data_stack} and all their data in {region}? "
                       "Type the stage's state stack name: ")
        if answer.strip() != data_stack:
            sys.exit("not confirmed; nothing deleted")
    teardown(boto3.Session(region_name=region), functions_stack, data_stack)
    say("done: the stage can be deployed again from nothing")


if __name__ == "__main__":
    main()
