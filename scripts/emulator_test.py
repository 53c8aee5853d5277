"""Checks of scripts/emulator.py's changes to moto, against the running emulator: a failed
transaction leaves every item it named as it was (moto's rollback is replaced by one that
restores only those items), a Query still pages its partition in order, an oversized key is
refused on reads too, and no DynamoDB object is kept for /moto-api/data.json.

usage: emulator_test.py   (AWS_ENDPOINT_URL_DYNAMODB names the emulator; run by make test)
"""

import json
import os
import unittest
import urllib.request
import uuid

import boto3
from botocore.exceptions import ClientError

ENDPOINT = os.environ["AWS_ENDPOINT_URL_DYNAMODB"]


def s(value: str) -> dict:
    return {"S": value}


class EmulatorTransactions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.db = boto3.client(
            "dynamodb", endpoint_url=ENDPOINT, region_name="us-east-1",
            aws_access_key_id="test", aws_secret_access_key="test",
        )
        cls.table = f"emulator-test-{uuid.uuid4().hex[:8]}"
        cls.db.create_table(
            TableName=cls.table,
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"},
                       {"AttributeName": "SK", "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"},
                                  {"AttributeName": "SK", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )

    @classmethod
    def tearDownClass(cls):
        cls.db.delete_table(TableName=cls.table)

    def setUp(self):
        self.pk = s(uuid.uuid4().hex)
        self.db.put_item(TableName=self.table, Item={"PK": self.pk, "SK": s("A"), "n": {"N": "1"}})
        self.db.put_item(TableName=self.table, Item={"PK": self.pk, "SK": s("GONE"), "n": {"N": "7"}})

    def partition(self) -> dict:
        items = self.db.query(TableName=self.table, KeyConditionExpression="PK = :pk",
                              ExpressionAttributeValues={":pk": self.pk}, ConsistentRead=True)["Items"]
        return {item["SK"]["S"]: item.get("n", {}).get("N") for item in items}

    def put_new(self, sk="NEW"):
        return {"Put": {"TableName": self.table, "Item": {"PK": self.pk, "SK": s(sk), "n": {"N": "5"}}}}

    def increment(self, sk="A"):
        return {"Update": {"TableName": self.table, "Key": {"PK": self.pk, "SK": s(sk)},
                           "UpdateExpression": "SET n = n + :one",
                           "ExpressionAttributeValues": {":one": {"N": "1"}}}}

    def delete(self, sk="GONE"):
        return {"Delete": {"TableName": self.table, "Key": {"PK": self.pk, "SK": s(sk)}}}

    def failing_check(self):
        return {"ConditionCheck": {"TableName": self.table, "Key": {"PK": self.pk, "SK": s("MISSING")},
                                   "ConditionExpression": "attribute_exists(PK)"}}

    def test_a_cancelled_transaction_leaves_every_item_it_named_unchanged(self):
        before = self.partition()
        with self.assertRaises(ClientError) as refused:
            self.db.transact_write_items(TransactItems=[
                self.put_new(), self.increment(), self.delete(), self.failing_check()])
        self.assertEqual(refused.exception.response["Error"]["Code"], "TransactionCanceledException")
        self.assertEqual(self.partition(), before)

    def test_a_refused_transaction_after_writes_leaves_them_undone(self):
        # The second write to the same item is refused (ValidationException) after the first
        # was applied: moto raises from the middle of the transaction.
        before = self.partition()
        with self.assertRaises(ClientError) as refused:
            self.db.transact_write_items(TransactItems=[self.increment(), self.put_new(), self.increment()])
        self.assertEqual(refused.exception.response["Error"]["Code"], "ValidationException")
        self.assertEqual(self.partition(), before)

    def test_a_transaction_that_passes_applies_every_member(self):
        self.db.transact_write_items(TransactItems=[self.put_new(), self.increment(), self.delete()])
        self.assertEqual(self.partition(), {"A": "2", "NEW": "5"})

    def test_a_query_sees_its_partition_only_in_order_and_by_page(self):
        other = s(uuid.uuid4().hex)
        self.db.put_item(TableName=self.table, Item={"PK": other, "SK": s("A"), "n": {"N": "9"}})
        for sk in ["B1", "B3", "B2", "C"]:
            self.db.put_item(TableName=self.table, Item={"PK": self.pk, "SK": s(sk)})
        query = dict(TableName=self.table, ConsistentRead=True,
                     KeyConditionExpression="PK = :pk AND begins_with(SK, :b)",
                     ExpressionAttributeValues={":pk": self.pk, ":b": s("B")})
        first = self.db.query(**query, Limit=2)
        rest = self.db.query(**query, ExclusiveStartKey=first["LastEvaluatedKey"])
        self.assertEqual([i["SK"]["S"] for i in first["Items"] + rest["Items"]], ["B1", "B2", "B3"])
        self.assertNotIn("LastEvaluatedKey", rest)
        self.assertEqual(self.partition(), {"A": "1", "GONE": "7", "B1": None, "B2": None,
                                            "B3": None, "C": None})

    def test_a_get_item_with_an_oversized_key_is_refused_as_dynamodb_does(self):
        with self.assertRaises(ClientError) as refused:
            self.db.get_item(TableName=self.table, Key={"PK": s("x" * 2049), "SK": s("A")})
        self.assertEqual(refused.exception.response["Error"]["Code"], "ValidationException")

    def test_no_dynamodb_object_is_kept_for_data_json(self):
        self.db.transact_write_items(TransactItems=[self.put_new(), self.increment()])
        with urllib.request.urlopen(f"{ENDPOINT}/moto-api/data.json", timeout=30) as answer:
            kept = json.load(answer).get("dynamodb", {})
        self.assertEqual({name: n for name, n in ((k, len(v)) for k, v in kept.items()) if n}, {})


if __name__ == "__main__":
    unittest.main(verbosity=2)
