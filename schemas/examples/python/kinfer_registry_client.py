#!/usr/bin/env python3
"""A Kinfer client for the registry wire format, with Confluent's own Python serializers.

Kinfer started with kinfer.wire-format=registry reads what Confluent-compatible Avro
serializers write (magic byte 0, 4-byte schema id, Avro binary of the writer's schema) and
writes its results the same way. This client produces text events with confluent-kafka's
AvroSerializer and reads results with its AvroDeserializer, through the registry's
Confluent-compatible API (Apicurio Registry: http://HOST:PORT/apis/ccompat/v7).

Needs: Debian's python3-confluent-kafka and python3-requests, and fastavro
  (sudo apt-get install python3-confluent-kafka python3-requests; pip install fastavro).

Usage:
  kinfer_registry_client.py --bootstrap B --registry URL produce [--version V] ID=TEXT...
      V: current (schemas/src/main/avro, the default), or older (a producer from before the
      optional fields: no `language`, no envelope `attributes`), or unreadable (a TextEvent
      without `text`, which Kinfer must dead-letter)
  kinfer_registry_client.py --bootstrap B --registry URL consume TOPIC COUNT [--timeout S]
      prints one line per result: RESULT {"eventId": ..., "topLabel": ..., ...}
"""
import argparse
import json
import os
import struct
import sys
import time

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

HERE = os.path.dirname(os.path.abspath(__file__))
AVRO_DIR = os.path.join(HERE, "..", "..", "src", "main", "avro")


def text_event_schema(version):
    """TextEvent with its Envelope inlined: one self-contained schema for the registry."""
    with open(os.path.join(AVRO_DIR, "Envelope.avsc")) as f:
        envelope = json.load(f)
    with open(os.path.join(AVRO_DIR, "TextEvent.avsc")) as f:
        event = json.load(f)
    if version == "older":
        envelope["fields"] = [x for x in envelope["fields"] if x["name"] != "attributes"]
        event["fields"] = [x for x in event["fields"] if x["name"] != "language"]
    elif version == "unreadable":
        event["fields"] = [x for x in event["fields"] if x["name"] != "text"]
        event["fields"].append({"name": "body", "type": "string"})
    elif version != "current":
        raise SystemExit("unknown --version " + version)
    event["fields"] = [dict(x, type=envelope) if x["name"] == "envelope" else x
                       for x in event["fields"]]
    return json.dumps(event)


def text_event(version, event_id, text):
    envelope = {"eventId": event_id, "source": "python-registry-client",
                "eventTime": int(time.time() * 1000)}
    if version == "older":
        return {"envelope": envelope, "text": text}
    envelope["attributes"] = {"client": "python"}
    if version == "unreadable":
        return {"envelope": envelope, "body": text}
    return {"envelope": envelope, "text": text, "language": "en"}


def produce(args, registry):
    serializer = AvroSerializer(registry, text_event_schema(args.version),
                                conf={"auto.register.schemas": True})
    producer = Producer({"bootstrap.servers": args.bootstrap, "enable.idempotence": True})
    context = SerializationContext(args.topic, MessageField.VALUE)
    for pair in args.events:
        event_id, _, text = pair.partition("=")
        value = serializer(text_event(args.version, event_id, text), context)
        producer.produce(args.topic, key=event_id.encode(), value=value)
        print("PRODUCED %s schema-id=%d" % (event_id, struct.unpack(">bI", value[:5])[1]),
              flush=True)
    if producer.flush(30) != 0:
        raise SystemExit("not every event was delivered within 30 s")


def consume(args, registry):
    deserializer = AvroDeserializer(registry)
    consumer = Consumer({"bootstrap.servers": args.bootstrap, "group.id": "py-" + str(time.time()),
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed"})
    consumer.subscribe([args.topic])
    seen = 0
    deadline = time.time() + args.timeout
    try:
        while seen < args.count and time.time() < deadline:
            message = consumer.poll(1.0)
            if message is None or message.error():
                continue
            value = message.value()
            result = deserializer(value, SerializationContext(message.topic(), MessageField.VALUE))
            print("RESULT " + json.dumps({
                "eventId": result["envelope"]["eventId"], "topLabel": result["topLabel"],
                "attributes": result["envelope"].get("attributes"),
                "schemaId": struct.unpack(">bI", value[:5])[1]}), flush=True)
            seen += 1
    finally:
        consumer.close()
    if seen < args.count:
        raise SystemExit("read %d of %d results from %s within %d s"
                         % (seen, args.count, args.topic, args.timeout))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--registry", required=True,
                        help="Confluent-compatible API, e.g. http://127.0.0.1:8080/apis/ccompat/v7")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("produce")
    p.add_argument("--topic", default="text.events")
    p.add_argument("--version", default="current")
    p.add_argument("events", nargs="+", metavar="ID=TEXT")
    c = commands.add_parser("consume")
    c.add_argument("topic")
    c.add_argument("count", type=int)
    c.add_argument("--timeout", type=int, default=120)
    args = parser.parse_args()
    registry = SchemaRegistryClient({"url": args.registry})
    (produce if args.command == "produce" else consume)(args, registry)


if __name__ == "__main__":
    sys.exit(main())
