#!/usr/bin/env python3
"""Peers for the hoithi-integrity benchmark, run on the same corpus.

  peers.py datasketch DIR OUT.jsonl [THRESHOLD]   MinHashLSH, 128 permutations, word 5-gram shingles
  peers.py copydetect DIR OUT.jsonl               copydetect (winnowing over characters)

Input: DIR/entries.jsonl and DIR/reference.jsonl (lines {"id", "text"}), as written by
`integrity-bench gen`. Output: one line {"a": id, "b": id} per reported document pair
(no passages: neither tool gives byte offsets we could score with PAN measures).
Prints seconds and MB/s; run under /usr/bin/time -v for peak memory.
"""
import json
import os
import sys
import tempfile
import time
import unicodedata


def load(d):
    docs = []
    for name in ("entries.jsonl", "reference.jsonl"):
        p = os.path.join(d, name)
        if not os.path.exists(p):
            continue
        with open(p, encoding="utf-8") as f:
            for line in f:
                o = json.loads(line)
                docs.append((o["id"], o["text"]))
    return docs


def run_datasketch(docs, out, threshold):
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    sigs = {}
    for i, (doc_id, text) in enumerate(docs):
        words = unicodedata.normalize("NFC", text).lower().split()
        sh = {" ".join(words[j : j + 5]).encode("utf-8") for j in range(max(1, len(words) - 4))}
        m = MinHash(num_perm=128)
        m.update_batch(list(sh))
        sigs[doc_id] = m
        lsh.insert(doc_id, m)
    pairs = set()
    for doc_id, m in sigs.items():
        for other in lsh.query(m):
            if other != doc_id:
                pairs.add(tuple(sorted((doc_id, other))))
    return pairs


def run_copydetect(docs, out):
    from copydetect import CopyDetector

    with tempfile.TemporaryDirectory() as tmp:
        names = {}
        for doc_id, text in docs:
            fn = os.path.join(tmp, doc_id + ".txt")
            with open(fn, "w", encoding="utf-8") as f:
                f.write(text)
            names[fn] = doc_id
        # ~15 syllables are ~60-70 characters of Vietnamese prose.
        det = CopyDetector(
            test_dirs=[tmp], ref_dirs=[tmp], extensions=["txt"], noise_t=40, guarantee_t=60,
            display_t=0.0, autoopen=False, silent=True, disable_filtering=True,
        )
        det.run()
        pairs = set()
        sim = det.similarity_matrix
        for x, tf in enumerate(det.test_files):
            for y, rf in enumerate(det.ref_files):
                if tf != rf and sim[x, y, 0] > 0:
                    a, b = names.get(tf), names.get(rf)
                    if a and b:
                        pairs.add(tuple(sorted((a, b))))
    return pairs


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        sys.exit(2)
    which, d, out = sys.argv[1], sys.argv[2], sys.argv[3]
    docs = load(d)
    size = sum(len(t.encode("utf-8")) for _, t in docs)
    t0 = time.time()
    if which == "datasketch":
        thr = float(sys.argv[4]) if len(sys.argv) > 4 else 0.5
        pairs = run_datasketch(docs, out, thr)
        label = f"datasketch threshold={thr}"
    elif which == "copydetect":
        pairs = run_copydetect(docs, out)
        label = "copydetect"
    else:
        print(__doc__)
        sys.exit(2)
    secs = time.time() - t0
    with open(out, "w", encoding="utf-8") as f:
        for a, b in sorted(pairs):
            f.write(json.dumps({"a": a, "b": b}) + "\n")
    print(f"{label} docs={len(docs)} text_MB={size / 1e6:.1f} seconds={secs:.1f} MB/s={size / 1e6 / secs:.2f} pairs={len(pairs)}")


if __name__ == "__main__":
    main()
