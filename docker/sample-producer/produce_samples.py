#!/usr/bin/env python3
"""The local stack's sample producer: sends the shipped held-out samples (models/samples) to
Kinfer's input topics in a loop, about RATE events per second in all, with one garbage record in
a hundred, so that `docker compose up` shows live results, metrics and dead letters at once.

Usage: python3 produce_samples.py BOOTSTRAP SAMPLES_DIR [RATE] [--registry URL]
  --registry URL: frame each event as Confluent-compatible serializers do (for Kinfer with
  kinfer.wire-format=registry): the schema is registered under <topic>-value through the
  registry's Confluent-compatible API (URL, e.g. http://registry:8080/apis/ccompat/v7) with
  Confluent's SchemaRegistryClient, and each value is magic byte 0, the 4-byte id, the Avro binary.
"""
import itertools
import json
import os
import random
import struct
import sys
import time
import uuid

# kinfer_client (schemas/examples/python) reads the .avsc files next to it and the bootstrap
# from argv[1].
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "client"))
import kinfer_client as kc  # noqa: E402
from confluent_kafka import Producer  # noqa: E402


def samples(samples_dir):
    """(modality, value) pairs: every image, clip and text of the samples, encoded."""
    s = kc.load_schemas()
    out = []
    for name in sorted(os.listdir(os.path.join(samples_dir, "image"))):
        if name.endswith(".png"):
            with open(os.path.join(samples_dir, "image", name), "rb") as f:
                out.append(("image", lambda i, b=f.read(): kc.encode(s["ImageEvent"], {
                    "envelope": kc.envelope(i), "format": "PNG", "image": b,
                    "width": None, "height": None})))
    for name in sorted(os.listdir(os.path.join(samples_dir, "audio"))):
        if name.endswith(".wav"):
            with open(os.path.join(samples_dir, "audio", name), "rb") as f:
                out.append(("audio", lambda i, b=f.read(): kc.encode(s["AudioEvent"], {
                    "envelope": kc.envelope(i), "encoding": "WAV", "sampleRate": 16000,
                    "channels": 1, "audio": b})))
    with open(os.path.join(samples_dir, "text", "samples.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                text = line.rstrip("\n").split("\t")[0]
                out.append(("text", lambda i, t=text: kc.encode(s["TextEvent"], {
                    "envelope": kc.envelope(i), "text": t, "language": "en"})))
    return out


def self_contained(name):
    """An event schema with Envelope written inline, as a registry stores it."""
    def load(n):
        with open(os.path.join(kc.AVRO_DIR, n + ".avsc")) as f:
            return json.load(f)
    envelope, event = load("Envelope"), load(name)
    event["fields"] = [dict(x, type=envelope) if x["type"] == "Envelope" else x
                       for x in event["fields"]]
    return json.dumps(event)


def registry_framing(url):
    """(modality, plain Avro) -> the same bytes framed with the registered schema's id."""
    from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
    client = SchemaRegistryClient({"url": url})
    ids = {m: client.register_schema(f"{m}.events-value", Schema(self_contained(n), "AVRO"))
           for m, n in (("image", "ImageEvent"), ("audio", "AudioEvent"), ("text", "TextEvent"))}
    print(f"schemas registered at {url}: {ids}", flush=True)
    return lambda modality, value: b"\x00" + struct.pack(">I", ids[modality]) + value


def main():
    args = sys.argv[1:]
    frame = lambda modality, value: value  # noqa: E731
    if "--registry" in args:
        at = args.index("--registry")
        frame = registry_framing(args[at + 1])
        del args[at:at + 2]
    bootstrap, samples_dir = args[0], args[1]
    rate = float(args[2]) if len(args) > 2 else 20.0
    events = samples(samples_dir)
    random.Random(1).shuffle(events)
    producer = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
    print(f"sending {len(events)} samples in a loop to {bootstrap}, {rate:g} events/s", flush=True)
    for n, (modality, make) in enumerate(itertools.cycle(events), start=1):
        event_id = f"sample-{uuid.uuid4()}"
        if n % 100 == 0:
            producer.produce("image.events", key=event_id, value=b"\x00 not avro")
        producer.produce(f"{modality}.events", key=event_id, value=frame(modality, make(event_id)))
        producer.poll(0)
        if n % 500 == 0:
            print(f"{n} events sent", flush=True)
        time.sleep(1.0 / rate)


if __name__ == "__main__":
    main()
