"""The Manim Community Edition side of scripts/bench-manim: an epicycles scene.

Eight chained arms draw a square wave's Fourier series: arm k (k = 0..7) has radius
R / (2k+1) and turns at (2k+1) * OMEGA, each arm's tail sits on the previous arm's tip,
each arm has its circle, and the last tip leaves a traced path. One `play` of 8 s with a
linear ValueTracker for time, on a dark background. No Tex/MathTex, so no LaTeX is needed.

  manim render scripts/bench.d/manim_epicycles.py Epicycles -r 1920,1080 --fps 60

The scene moves its mobjects with updaters (the idiomatic, cheap way) rather than
always_redraw, so Manim is not charged for rebuilding mobjects every frame.
"""
import numpy as np
from manim import (
    DEGREES,
    LEFT,
    Circle,
    Dot,
    Line,
    Scene,
    TracedPath,
    ValueTracker,
    VGroup,
    linear,
)

ARMS = 8
DURATION = 8.0            # seconds of animation
R = 1.6                   # radius of the first arm, in scene units (frame height is 8;
                          # all arms together reach 1.6 * 2.02 = 3.2 < 4, inside the frame)
OMEGA = 2 * np.pi / 4.0   # the fundamental turns once every 4 s: two periods in 8 s
CENTRE = 2.0 * LEFT
BACKGROUND = "#0E1116"    # c2v's default theme background
ACCENTS = ["#58C4DD", "#FC6255", "#83C167", "#FFD166"]  # c2v's default theme accents


def tips(t: float) -> list[np.ndarray]:
    """The centre and the tip of every arm at time t: ARMS + 1 points."""
    points = [np.array(CENTRE, dtype=float)]
    for k in range(ARMS):
        n = 2 * k + 1
        r = R / n
        a = n * OMEGA * t + 90 * DEGREES
        points.append(points[-1] + r * np.array([np.cos(a), np.sin(a), 0.0]))
    return points


class Epicycles(Scene):
    def construct(self):
        self.camera.background_color = BACKGROUND
        time = ValueTracker(0)
        start = tips(0)

        circles = VGroup()
        arms = VGroup()
        for k in range(ARMS):
            colour = ACCENTS[k % len(ACCENTS)]
            circle = Circle(radius=R / (2 * k + 1), color=colour, stroke_width=2, stroke_opacity=0.6)
            circle.move_to(start[k])
            arm = Line(start[k], start[k + 1], color=colour, stroke_width=3)

            def follow_circle(m, k=k):
                m.move_to(tips(time.get_value())[k])

            def follow_arm(m, k=k):
                p = tips(time.get_value())
                m.put_start_and_end_on(p[k], p[k + 1])

            circle.add_updater(follow_circle)
            arm.add_updater(follow_arm)
            circles.add(circle)
            arms.add(arm)

        tip = Dot(start[-1], radius=0.05, color=ACCENTS[3])
        tip.add_updater(lambda m: m.move_to(tips(time.get_value())[-1]))
        path = TracedPath(tip.get_center, stroke_color=ACCENTS[3], stroke_width=3)

        self.add(circles, arms, path, tip)
        self.play(time.animate.set_value(DURATION), run_time=DURATION, rate_func=linear)
