"""Manim's side of scripts/bench-math: how long MathTex takes for the Fourier series formula.

The first MathTex of a formula runs LaTeX and dvisvgm (through Manim's Tex cache in a fresh
media folder); a second MathTex of the same string reads the cached SVG. Both are timed inside
one Python process, after `import manim`, so start-up is not counted.
"""
import sys
import tempfile
import time

from manim import MathTex, TexTemplate, config

FORMULA = r"f(x) = \frac{a_0}{2} + \sum_{n=1}^{\infty} \left( a_n \cos(nx) + b_n \sin(nx) \right)"

# Manim's default template needs the `standalone` class (texlive-latex-extra); plain `article`
# with amsmath typesets the same formula from texlive-latex-base alone.
TEMPLATE = TexTemplate(documentclass=r"\documentclass{article}",
                       preamble=r"\usepackage{amsmath}\usepackage{amssymb}\pagestyle{empty}")

with tempfile.TemporaryDirectory() as media:
    config.media_dir = media
    config.tex_template = TEMPLATE
    t0 = time.perf_counter()
    MathTex(FORMULA)
    t1 = time.perf_counter()
    MathTex(FORMULA)
    t2 = time.perf_counter()
    print(f"manim MathTex first {1000 * (t1 - t0):.1f} ms, cached {1000 * (t2 - t1):.1f} ms")
    sys.stdout.flush()
