"""Bar charts of `axon-run --profile-json` files: for each model, the
kernels that take the most time (bar length: ms per call, each kernel timed
alone between CUDA events; label: achieved fraction of the roofline)
coloured by the strategy that formed them, and the time per strategy.

  python3 bench/profile_chart.py OUT_DIR model.profile.json [...]

Writes OUT_DIR/<model>-profile.png for each file (needs matplotlib; on
Debian: apt-get install python3-matplotlib)."""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TOP = 25


def chart(path, out_dir):
    with open(path) as f:
        profile = json.load(f)
    name = os.path.basename(path).removesuffix(".profile.json")
    kernels = profile["kernels"][:TOP]
    strategies = [s["strategy"] for s in profile["strategies"]]
    palette = plt.get_cmap("tab20")
    colour = {s: palette(i % 20) for i, s in enumerate(strategies)}
    total = sum(k["ms"] for k in profile["kernels"])

    fig, (top, summary) = plt.subplots(
        1, 2, figsize=(15, 0.32 * len(kernels) + 2.5), gridspec_kw={"width_ratios": [3, 1.4]})
    labels = [k["name"] for k in kernels][::-1]
    times = [k["ms"] for k in kernels][::-1]
    family = lambda k: k.get("family") or k["strategy"] or "?"  # noqa: E731
    top.barh(labels, times, color=[colour.get(family(k), "grey") for k in kernels][::-1])
    for y, k in enumerate(kernels[::-1]):
        roof = k["roofline"]
        text = f" {100 * roof:.0f}% of roofline" if roof is not None else " -"
        top.text(k["ms"], y, text, va="center", fontsize=7)
    top.set_xlabel("ms per call (CUDA events)")
    top.tick_params(axis="y", labelsize=7)
    c = profile["ceilings"]
    top.set_title(f"{name}: top {len(kernels)} of {len(profile['kernels'])} kernels, "
                  f"{total:.3f} ms of kernels per call on {profile['device']}\n"
                  f"ceilings {c['gbs']:.0f} GB/s ({c['gbs_source']}), "
                  f"{c['tensor_tflops']:.0f} TFLOP/s tensor cores, "
                  f"{c['fma_tflops']:.0f} TFLOP/s FMA", fontsize=9)

    shares = profile["strategies"][::-1]
    summary.barh([f"{s['strategy']} ({s['kernels']})" for s in shares],
                 [s["ms"] for s in shares], color=[colour[s["strategy"]] for s in shares])
    for y, s in enumerate(shares):
        summary.text(s["ms"], y, f" {100 * s['ms'] / total:.0f}%", va="center", fontsize=7)
    summary.set_xlabel("ms per call")
    summary.set_title("by strategy (kernels)", fontsize=9)
    summary.tick_params(axis="y", labelsize=7)
    fig.tight_layout()
    out = os.path.join(out_dir, f"{name}-profile.png")
    fig.savefig(out, dpi=110)
    plt.close(fig)
    print(out)


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    for path in sys.argv[2:]:
        chart(path, out_dir)


if __name__ == "__main__":
    main()
