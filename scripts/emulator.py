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

With EMULATOR_METER=1 (make bench-cost; off otherwise, so that normal runs are unchanged) a WSGI
middleware records every AWS request: the service and call, and for DynamoDB the read and write
request units that DynamoDB on-demand would charge for it, computed from the request, the answer
and the items as they were before and after it (the rules are at `item_size` and `Meter`);
`GET /_meter?since=N` returns the records from the Nth on, `GET /_meter/storage?table=T` the item
count and bytes of every partition. moto's own ConsumedCapacity is a constant (1.0 or 0.5 per
call, whatever the items), so it cannot be used.

usage: emulator.py HOST PORT
"""

import base64
import copy
import io
import json
import math
import os
import signal
import sys
import urllib.parse
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


# --------------------------------------------------------------------------- the meter (opt-in)

# DynamoDB's item size (Developer Guide, "Item sizes and capacity unit consumption"): the sum of
# the attribute names' UTF-8 lengths and the values' sizes. Strings: UTF-8 bytes; binary: raw
# bytes; numbers: 1 byte per two significant digits + 1 (the guide's approximation, used as it
# is); Boolean and null: 1; sets: the sum of their elements; lists and maps: 3 bytes + the sizes
# of their elements (a map's element also counts its name).


def _number_size(text: str) -> int:
    digits = text.lstrip("+-").lower().split("e")[0].replace(".", "").strip("0")
    return (max(len(digits), 1) + 1) // 2 + 1


def value_size(value: dict) -> int:
    (kind, v), = value.items()
    if kind == "S":
        return len(v.encode())
    if kind == "N":
        return _number_size(v)
    if kind == "B":
        return len(base64.b64decode(v))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(e.encode()) for e in v)
    if kind == "NS":
        return sum(_number_size(e) for e in v)
    if kind == "BS":
        return sum(len(base64.b64decode(e)) for e in v)
    if kind == "L":
        return 3 + sum(value_size(e) for e in v)
    if kind == "M":
        return 3 + item_size(v)
    raise ValueError(f"unknown attribute type {kind}")


def item_size(item: dict | None) -> int:
    return sum(len(name.encode()) + value_size(v) for name, v in (item or {}).items())


def read_units(size: int) -> int:
    """Strongly consistent read units of `size` bytes read as one unit (a GetItem's item, a
    Query's items together): 4 KB each, at least one (a read of nothing costs one too)."""
    return max(1, math.ceil(size / 4096))


def write_units(size: int) -> int:
    """Write units of one item write: 1 KB each, at least one (a write of a missing item or a
    failed condition on one costs one too)."""
    return max(1, math.ceil(size / 1024))


def _tables():
    from moto.dynamodb.models import dynamodb_backends

    for account in list(dict.values(dynamodb_backends)):
        for backend in list(dict.values(account)):
            yield from backend.tables.items()


def _table(name: str):
    return next((t for n, t in _tables() if n == name or t.table_arn == name), None)


def _stored(table_name: str, key: dict) -> dict | None:
    """The item of `key` (DynamoDB JSON; its other attributes ignored) as stored now, or None."""
    table = _table(table_name)
    if table is None:
        return None
    try:
        hash_key = DynamoType(key[table.hash_key_attr])
        range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        item = table.get_item(hash_key, range_key)
    except Exception:  # noqa: BLE001 - a malformed key: moto answers it
        return None
    return item.to_json()["Attributes"] if item is not None else None


class Meter:
    """WSGI middleware recording each AWS request (see the module's docstring).

    DynamoDB units, per the on-demand rules (Developer Guide: "Item sizes and capacity unit
    consumption", "Transactions: capacity management"):
    - GetItem: the stored item's size in 4 KB units (1 if none); half for an eventually
      consistent read.
    - Query/Scan: the items returned (this service uses no filter or projection; a request that
      does is flagged), summed, then 4 KB units, at least 1; half if eventually consistent.
    - PutItem/UpdateItem: the larger of the item before and after, in 1 KB units; DeleteItem: the
      item before. A failed condition: the existing item (1 if none).
    - TransactWriteItems: two underlying writes of every item (prepare, commit), so 2 x the units
      of each member, a ConditionCheck included (billed as a write of the checked item). A
      cancelled transaction is counted the same way on the items as they were (flagged
      `failed`; none of the costed operations has one).
    - TransactGetItems: 2 x 4 KB units per item; BatchGetItem/BatchWriteItem: per item.
    SNS Publish to a phone number: the SMS and its parts (GSM-7: 160 characters in one part, else
    153 per part; anything outside GSM-7: 70, else 67).
    """

    def __init__(self, app):
        self.app = app
        self.records: list[dict] = []

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/_meter":
            return self._answer(start_response, self._since(environ))
        if path == "/_meter/storage":
            return self._answer(start_response, self._storage(environ))
        if path.startswith("/moto-api"):
            return self.app(environ, start_response)
        body = self._body(environ)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        service, _, call = target.partition(".")
        request = None
        if target:
            request = json.loads(body or b"{}")
        before = self._before(call, request) if service.startswith("DynamoDB") else None
        status = {}

        def capture(line, headers, exc_info=None):
            status["code"] = int(line.split()[0])
            return start_response(line, headers, exc_info)

        answer = self.app(environ, capture)
        try:
            data = b"".join(answer)
        finally:
            getattr(answer, "close", lambda: None)()
        ok = status.get("code", 500) < 300
        if service.startswith("DynamoDB"):
            self.records.append(self._dynamodb(call, request, before, data, ok))
        elif target:
            names = {"TrentService": "KMS", "secretsmanager": "Secrets Manager"}
            name = names.get(service, service)
            self.records.append({"service": name, "call": call, "ok": ok})
        else:
            self._query_protocol(body, ok)
        return [data]

    # ---- plumbing

    @staticmethod
    def _body(environ) -> bytes:
        stream = environ["wsgi.input"]
        if environ.get("wsgi.input_terminated"):
            body = stream.read()
        else:
            body = stream.read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return body

    @staticmethod
    def _answer(start_response, doc):
        data = json.dumps(doc).encode()
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Content-Length", str(len(data)))])
        return [data]

    def _since(self, environ) -> dict:
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        since = int(query.get("since", ["0"])[0])
        return {"next": len(self.records), "records": self.records[since:]}

    @staticmethod
    def _storage(environ) -> dict:
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        table = _table(query["table"][0])
        partitions = {}
        for hash_key, items in (table.items.items() if table is not None else []):
            stored = items.values() if table.range_key_attr else [items]
            sizes = [item_size(i.to_json()["Attributes"]) for i in stored]
            partitions[str(hash_key.value)] = [len(sizes), sum(sizes)]
        return {"partitions": partitions}

    def _query_protocol(self, body: bytes, ok: bool) -> None:
        """SNS (and other query-protocol services): the Action; for an SMS, its parts."""
        form = urllib.parse.parse_qs(body.decode(errors="replace"))
        action = form.get("Action", [""])[0]
        if not action:
            return
        record = {"service": "SNS" if "PhoneNumber" in form or "TopicArn" in form else "other",
                  "call": action, "ok": ok}
        if "PhoneNumber" in form:
            text = form.get("Message", [""])[0]
            record["sms_chars"] = len(text)
            record["sms_parts"] = sms_parts(text)
        self.records.append(record)

    # ---- DynamoDB units

    @staticmethod
    def _members(call: str, request: dict) -> list[tuple[str, str, dict]]:
        """(kind, table, key) of every item a write names, in order."""
        if call in ("PutItem", "UpdateItem", "DeleteItem"):
            key = request.get("Item") if call == "PutItem" else request.get("Key")
            return [(call, request.get("TableName", ""), key or {})]
        if call == "TransactWriteItems":
            out = []
            for member in request.get("TransactItems", []):
                (kind, op), = member.items()
                out.append((kind, op.get("TableName", ""),
                            op.get("Item") if kind == "Put" else op.get("Key", {})))
            return out
        return []

    def _before(self, call: str, request: dict) -> list:
        if call == "GetItem":
            return [_stored(request.get("TableName", ""), request.get("Key", {}))]
        if call == "TransactGetItems":
            return [_stored(m["Get"].get("TableName", ""), m["Get"].get("Key", {}))
                    for m in request.get("TransactItems", [])]
        return [_stored(table, key) for _, table, key in self._members(call, request)]

    def _dynamodb(self, call: str, request: dict, before: list, data: bytes, ok: bool) -> dict:
        record = {"service": "DynamoDB", "call": call, "ok": ok, "rru": 0.0, "wru": 0.0}
        answer = json.loads(data or b"{}") if data else {}
        half = 1.0 if request.get("ConsistentRead") else 0.5
        if not ok:
            record["error"] = answer.get("__type", "").rpartition("#")[2]
            if record["error"] not in ("ConditionalCheckFailedException",
                                       "TransactionCanceledException"):
                return record  # refused before it ran: nothing consumed
        if call == "GetItem":
            size = item_size(before[0])
            record.update(rru=read_units(size) * half, sizes=[size],
                          consistent=bool(request.get("ConsistentRead")))
        elif call in ("Query", "Scan"):
            sizes = [item_size(i) for i in answer.get("Items", [])]
            record.update(rru=read_units(sum(sizes)) * half, sizes=sizes,
                          consistent=bool(request.get("ConsistentRead")))
            if any(k in request for k in ("FilterExpression", "ProjectionExpression", "Select")):
                record["approximate"] = "filter or projection: the items returned are counted"
        elif call == "TransactGetItems":
            sizes = [item_size(i) for i in before]
            record.update(rru=sum(2 * read_units(s) for s in sizes), sizes=sizes)
        elif call == "BatchGetItem":
            sizes = [item_size(i) for items in answer.get("Responses", {}).values() for i in items]
            record.update(rru=sum(read_units(s) * half for s in sizes), sizes=sizes)
        elif call == "BatchWriteItem":
            sizes = []
            for table, writes in request.get("RequestItems", {}).items():
                for w in writes:
                    put = w.get("PutRequest", {}).get("Item")
                    sizes.append(item_size(put) if put else 1)
            record.update(wru=sum(write_units(s) for s in sizes), sizes=sizes)
        else:
            members = self._members(call, request)
            if members:
                factor = 2 if call == "TransactWriteItems" else 1
                sizes, kinds = [], []
                for (kind, table, key), old in zip(members, before):
                    # The item as it is now (after a failure: as it was, unchanged).
                    changed = kind not in ("Delete", "DeleteItem", "ConditionCheck")
                    new = item_size(_stored(table, key)) if ok and changed else 0
                    sizes.append(max(item_size(old), new))
                    kinds.append(kind)
                record.update(wru=float(sum(factor * write_units(s) for s in sizes)),
                              sizes=sizes, kinds=kinds)
                if not ok:
                    record["failed"] = True
        return record


GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
           "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXTENSION = set("^{}\\[~]|€")  # two septets each


def sms_parts(text: str) -> int:
    if set(text) <= GSM7 | GSM7_EXTENSION:
        septets = len(text) + sum(c in GSM7_EXTENSION for c in text)
        return 1 if septets <= 160 else math.ceil(septets / 153)
    return 1 if len(text) <= 70 else math.ceil(len(text) / 67)


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    BaseModel.__new__ = _new_model
    DynamoDBBackend.transact_write_items = _transact_write_items
    Table.query = _query
    DynamoDBBackend.get_item = _get_item
    app = DomainDispatcherApplication(create_backend_app)
    if os.environ.get("EMULATOR_METER") == "1":
        app = Meter(app)
    run_simple(host, port, app, threaded=False, use_reloader=False, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
