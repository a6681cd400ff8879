"""Tumbling, hopping and session windows on the same clicks."""

from streamlab.windows import (
    HoppingWindows,
    Sessions,
    SessionWindows,
    TumblingWindows,
    Window,
    WindowedAggregation,
    WindowSpec,
    counting,
    hopping,
    tumbling,
)


def show(w: Window) -> str:
    return f"[{w.start},{w.end})"


# --8<-- [start:assign]
# Times in minutes. Which windows hold an event at minute 7?
print(show(tumbling(7, size=10)))
# > [0,10)
print(*map(show, hopping(7, size=10, slide=5)))
# > [0,10) [5,15)
print(*map(show, hopping(7, size=10, slide=3)))  # 3 does not divide 10
# > [0,10) [3,13) [6,16)
print(*map(show, hopping(7, size=2, slide=5)))  # gaps: in no window
# >
# --8<-- [end:assign]

# --8<-- [start:compare]
clicks = [1, 2, 4, 7, 9, 31, 33]  # one user's clicks, in minutes
specs: dict[str, WindowSpec] = {
    "tumbling 10": TumblingWindows(size=10),
    "hopping 10/5": HoppingWindows(size=10, slide=5),
    "session 15": SessionWindows(gap=15),
}
for name, spec in specs.items():
    op: WindowedAggregation[str, int, int] = WindowedAggregation(
        spec, counting()
    )
    for t in clicks:
        op.on_event("user-1", t, t)
    counts = [f"{show(r.window)}={r.value}" for r in op.close()]
    print(f"{name:<13}", " ".join(counts))
# > tumbling 10   [0,10)=5 [30,40)=2
# > hopping 10/5  [-5,5)=3 [0,10)=5 [5,15)=2 [25,35)=2 [30,40)=2
# > session 15    [1,24)=5 [31,48)=2
# --8<-- [end:compare]

# --8<-- [start:bridge]
user = Sessions(gap=15)
for t in [0, 30, 15]:  # 15 arrives last, out of order
    session, merged = user.add(t)
    print(t, "->", show(session), "merged:", *map(show, merged))
# > 0 -> [0,15) merged:
# > 30 -> [30,45) merged:
# > 15 -> [0,45) merged: [0,15) [30,45)
# --8<-- [end:bridge]
