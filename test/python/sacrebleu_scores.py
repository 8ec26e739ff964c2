"""Corpus BLEU and chrF by real sacreBLEU (its defaults) for the cases on stdin.

stdin: JSON [{"hypotheses": [str], "references": [[str]]}] with one list of references per
hypothesis; stdout: JSON [{"bleu", "counts", "totals", "bp", "sys_len", "ref_len", "chrf"}].
"""
import json
import sys

import sacrebleu

results = []
for case in json.load(sys.stdin):
    hypotheses = case["hypotheses"]
    per_hypothesis = case["references"]
    # sacreBLEU takes reference streams: stream k holds every hypothesis's k-th reference (None: none).
    streams = max(len(refs) for refs in per_hypothesis)
    references = [[refs[k] if k < len(refs) else None for refs in per_hypothesis] for k in range(streams)]
    bleu = sacrebleu.corpus_bleu(hypotheses, references)
    chrf = sacrebleu.corpus_chrf(hypotheses, references)
    results.append({
        "bleu": bleu.score, "counts": list(bleu.counts), "totals": list(bleu.totals), "bp": bleu.bp,
        "sys_len": bleu.sys_len, "ref_len": bleu.ref_len, "chrf": chrf.score,
        "tokens": [sacrebleu.BLEU()._preprocess_segment(h) for h in hypotheses],
    })
print(json.dumps(results))
