"""Three questions about the same page views, three kinds of window."""

from collections import Counter

from streamlab.windows import Window, count_tumbling, hopping, sessions


def show(w: Window) -> str:
    return f"[{w.start},{w.end})"


views = [0, 2, 3, 11, 12, 14, 47, 49, 50, 95, 101]  # one user, minutes

# --8<-- [start:tumbling]
# Billing: views per 15 minutes; every view is counted exactly once.
per_quarter = count_tumbling(views, size=15)
print(" ".join(f"{show(w)}={n}" for w, n in per_quarter.items()))
# > [0,15)=6 [45,60)=3 [90,105)=2
# --8<-- [end:tumbling]

# --8<-- [start:hopping]
# Alerting: views in the last 15 minutes, refreshed every 5 minutes.
# Each view lands in 15 / 5 = 3 windows: three times the updates.
moving = Counter(w for t in views for w in hopping(t, size=15, slide=5))
print(max(moving.values()), "views at most in 15 min;", len(moving), "windows")
# > 6 views at most in 15 min; 13 windows
# --8<-- [end:hopping]

# --8<-- [start:session]
# Product analytics: a visit ends after 30 minutes without a view.
for s in sessions(views, gap=30):
    inside = [t for t in views if s.start <= t < s.end]
    print(f"visit {show(s)}: {len(inside)} views, {inside[-1] - inside[0]} min")
# > visit [0,44): 6 views, 14 min
# > visit [47,80): 3 views, 3 min
# > visit [95,131): 2 views, 6 min
# --8<-- [end:session]
