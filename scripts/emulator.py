"""The local DynamoDB/SNS emulator: moto's server app, one request at a time.

`moto_server` serves requests on parallel threads, and moto's DynamoDB does not lock: two
conditional writes on one item can both pass their conditions (measured: 6 OTP devices
created under a limit of 5). DynamoDB applies each conditional write atomically, so the
emulator must too: this runs the same application single-threaded.

Three behaviours of moto 5.2.5 made a long-running stack leak or slow down as its table grew
(checked against moto==5.2.5, the version requirements-emulator.txt pins; recheck them when it
changes):
- Every model object is appended, when it is created, to its class's `instances_tracked` list,
  which nothing empties; only `/moto-api/data.json` reads it. Here only `sns.SMS` is tracked:
  the tests read delivered SMS there, and nothing reads any other model.
- `transact_write_items` deep-copies every table it touches before applying the transaction, to
  restore it on failure: time and (with the tracking above) memory proportional to the table,
  per transaction. Here it snapshots only the items the transaction names.
- A Query on the table's key looks at every item of the table to find its partition's (it
  shares one loop with index queries). Here it looks at the partition's items only.
And one gap: moto checks key sizes (2048 bytes for a partition key, 1024 for a sort key) when
it writes, not when it reads; DynamoDB refuses an oversized key in a GetItem too, so here it is
refused there as well.
`make soak` measures both (README, "The soak").

usage: emulator.py HOST PORT
"""

import copy
import os
import signal
import sys
from contextlib import contextmanager

from moto.core.common_models import BaseModel
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.server import MotoRequestHandler
from moto.sns.models import SMS
from werkzeug.serving import run_simple

TRACKED_MODELS = (SMS,)


def _new_model(cls, *args, **kwargs):
    """BaseModel.__new__ without keeping every instance alive, but for TRACKED_MODELS."""
    instance = super(BaseModel, cls).__new__(cls)
    if issubclass(cls, TRACKED_MODELS):
        cls.instances_tracked.append(instance)
    return instance


def _item_location(backend, op_type, op):
    """(table, hash key, range key) of one transaction member, or None if it names none (moto
    then refuses the transaction before writing anything for it)."""
    try:
        table = backend.get_table(op["TableName"])
        key = op["Item"] if op_type == "Put" else op["Key"]
        hash_key = DynamoType(key[table.hash_key_attr])
        range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        return table, hash_key, range_key
    except Exception:  # noqa: BLE001 - moto reports the malformed member itself
        return None


def _restore(table, hash_key, range_key, saved):
    """Puts one item back as it was (or removes it if it did not exist)."""
    if range_key is None:
        if saved is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = saved
    elif saved is None:
        table.items[hash_key].pop(range_key, None)
    else:
        table.items[hash_key][range_key] = saved


@contextmanager
def _tables_not_copied():
    """While moto's own transact_write_items runs, its table deep copy is the table itself, so
    its rollback (putting the copy back) changes nothing; ours restores the touched items."""
    Table.__deepcopy__ = lambda table, memo: table
    try:
        yield
    finally:
        del Table.__deepcopy__


_moto_transact_write_items = DynamoDBBackend.transact_write_items


def _transact_write_items(self, transact_items):
    snapshot = []
    for member in transact_items:
        for op_type, op in member.items():
            location = _item_location(self, op_type, op)
            if location is not None:
                table, hash_key, range_key = location
                snapshot.append((*location, copy.deepcopy(table.get_item(hash_key, range_key))))
    with _tables_not_copied():
        try:
            return _moto_transact_write_items(self, transact_items)
        except Exception:
            for saved in reversed(snapshot):
                _restore(*saved)
            raise


_moto_query = Table.query


def _query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key,
           scan_index_forward, projection_expressions, index_name=None, *rest, **kwargs):
    """moto's Table.query, given only the partition's items when it queries the table's key."""
    args = (hash_key, range_comparison, range_objs, limit, exclusive_start_key,
            scan_index_forward, projection_expressions, index_name, *rest)
    if index_name is not None or hash_key is None or self.range_key_attr is None:
        return _moto_query(self, *args, **kwargs)
    partition = self.items.get(hash_key, {})
    self.all_items = lambda: list(partition.values())
    try:
        return _moto_query(self, *args, **kwargs)
    finally:
        del self.all_items


_moto_get_item = DynamoDBBackend.get_item


def _get_item(self, table_name, keys, *args, **kwargs):
    """moto's get_item, refusing keys DynamoDB would refuse (ValidationException)."""
    self.get_table(table_name)._validate_key_sizes(keys)
    return _moto_get_item(self, table_name, keys, *args, **kwargs)


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    BaseModel.__new__ = _new_model
    DynamoDBBackend.transact_write_items = _transact_write_items
    Table.query = _query
    DynamoDBBackend.get_item = _get_item
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(host, port, app, threaded=False, use_reloader=False, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
