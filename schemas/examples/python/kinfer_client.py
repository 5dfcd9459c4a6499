#!/usr/bin/env python3
"""An independent Kinfer client in Python, written from the .avsc files alone.

Produces one event per modality (plain Avro binary, no registry), reads one enriched result
for each, sends garbage bytes and reads its dead letter.

Needs: Debian's python3-confluent-kafka and python3-avro
  (sudo apt-get install python3-confluent-kafka python3-avro), and a running `./kinfer run`.
Usage: python3 kinfer_client.py [BOOTSTRAP]   (default 127.0.0.1:9092)
"""
import datetime
import io
import math
import os
import struct
import sys
import time
import uuid
import zlib

import avro.io
import avro.schema
from confluent_kafka import Consumer, Producer, TopicPartition

HERE = os.path.dirname(os.path.abspath(__file__))
AVRO_DIR = os.path.join(HERE, "..", "..", "src", "main", "avro")
BOOTSTRAP = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:9092"


def load_schemas():
    names = avro.schema.Names()
    schemas = {}
    for name in ["Envelope", "ImageEvent", "AudioEvent", "TextEvent", "EnrichedEvent"]:
        with open(os.path.join(AVRO_DIR, name + ".avsc")) as f:
            schemas[name] = avro.schema.make_avsc_object(
                __import__("json").load(f), names)
    return schemas


def encode(schema, record):
    out = io.BytesIO()
    avro.io.DatumWriter(schema).write(record, avro.io.BinaryEncoder(out))
    return out.getvalue()


def decode(schema, data):
    return avro.io.DatumReader(schema).read(avro.io.BinaryDecoder(io.BytesIO(data)))


def envelope(event_id):
    return {"eventId": event_id, "source": "python-client",
            # timestamp-millis: avro-python wants a datetime, other libraries an int of ms
            "eventTime": datetime.datetime.now(datetime.timezone.utc), "attributes": {"lang": "python"}}


def png_28x28():
    """A grey 28x28 PNG written by hand (zlib + CRCs), no imaging library needed."""
    rows = b"".join(b"\x00" + bytes((x * 9 + y * 5) % 256 for x in range(28)) for y in range(28))
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 28, 28, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def wav_tone():
    rate, frames = 16000, 16000
    data = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                    for i in range(frames))
    return (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVE" + b"fmt "
            + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
            + b"data" + struct.pack("<I", len(data)) + data)


def read_until(topic, wanted_keys, timeout_s=60):
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": "py-" + str(uuid.uuid4()),
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed",
                         "enable.auto.commit": False})
    consumer.subscribe([topic])
    found = {}
    deadline = time.time() + timeout_s
    while time.time() < deadline and len(found) < len(wanted_keys):
        msg = consumer.poll(0.5)
        if msg is None or msg.error():
            continue
        key = msg.key().decode() if msg.key() else None
        if key in wanted_keys:
            found[key] = msg
    consumer.close()
    missing = set(wanted_keys) - set(found)
    if missing:
        sys.exit(f"FAIL: no record on {topic} for {sorted(missing)} within {timeout_s}s")
    return found


def main():
    s = load_schemas()
    producer = Producer({"bootstrap.servers": BOOTSTRAP, "acks": "all"})
    ids = {m: f"py-{m}-{uuid.uuid4()}" for m in ("image", "audio", "text")}
    events = {
        "image": encode(s["ImageEvent"], {"envelope": envelope(ids["image"]), "format": "PNG",
                                          "image": png_28x28(), "width": None, "height": None}),
        "audio": encode(s["AudioEvent"], {"envelope": envelope(ids["audio"]), "encoding": "WAV",
                                          "sampleRate": 16000, "channels": 1,
                                          "audio": wav_tone()}),
        "text": encode(s["TextEvent"], {"envelope": envelope(ids["text"]),
                                        "text": "a large bird that lives near the sea",
                                        "language": "en"}),
    }
    for modality, value in events.items():
        producer.produce(f"{modality}.events", key=ids[modality], value=value)
    garbage_id = f"py-garbage-{uuid.uuid4()}"
    producer.produce("image.events", key=garbage_id, value=b"\x00\x01 not avro at all")
    producer.flush(30)
    print(f"produced 3 events and 1 garbage record to {BOOTSTRAP}")

    for modality in ("image", "audio", "text"):
        msg = read_until(f"{modality}.enriched", {ids[modality]})[ids[modality]]
        result = decode(s["EnrichedEvent"], msg.value())
        assert result["envelope"]["eventId"] == ids[modality]
        top = result["predictions"][0]
        print(f"{modality:5s} {ids[modality]} -> {result['topLabel']} ({top['score']:.3f}) "
              f"model {result['model']['name']}/{result['model']['version']} "
              f"on {result['model']['device']}, "
              f"embedding={'yes' if result['embedding'] else 'no'}")
    letter = read_until("image.dead-letters", {garbage_id})[garbage_id]
    headers = {k: v.decode() for k, v in (letter.headers() or [])}
    print(f"dead letter {garbage_id}: {headers.get('kinfer.error.reason')}")
    assert letter.value() == b"\x00\x01 not avro at all"
    print("OK")


if __name__ == "__main__":
    main()
