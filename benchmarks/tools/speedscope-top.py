#!/usr/bin/env python3
"""Summarises a speedscope profile exported by BenchmarkDotNet's EventPipe profiler (or dotnet-trace).

Prints where the CPU time goes: self time per frame and inclusive time per frame, over every thread, leaving out
samples whose leaf frame is a wait (a thread parked in the thread pool, a blocked socket read, ...), so that idle
threads do not drown out the work. Usage: speedscope-top.py FILE [--top N] [--match TEXT]
"""
import json
import sys
from collections import defaultdict

IDLE = ("UNMANAGED_CODE_TIME", "CPU_TIME", "WaitOne", "WaitHandle", "LowLevelLifoSemaphore", "Monitor.Wait",
        "WaitForSignal", "Thread.Sleep", "SemaphoreSlim.Wait", "ManualResetEventSlim.Wait", "epoll", "Interop+Sys.WaitForSocketEvents",
        "SocketAsyncEngine.EventLoop", "LowLevelMonitor", "Thread.Join", "WaitSubsystem", "PortableThreadPool+GateThread")


def main():
    path = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 40
    match = sys.argv[sys.argv.index("--match") + 1] if "--match" in sys.argv else None
    data = json.load(open(path))
    frames = [f["name"] for f in data["shared"]["frames"]]
    self_time = defaultdict(float)
    incl_time = defaultdict(float)
    total = 0.0
    for profile in data["profiles"]:
        if profile.get("type") != "evented":
            continue
        stack = []
        last = profile["startValue"]
        for event in profile["events"]:
            at = event["at"]
            if stack and at > last:
                leaf = frames[stack[-1]]
                if not any(word in leaf for word in IDLE):
                    span = at - last
                    total += span
                    self_time[leaf] += span
                    for name in set(frames[i] for i in stack):
                        incl_time[name] += span
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            elif stack:
                stack.pop()
    print(f"busy time in samples: {total:.1f} {data['profiles'][0].get('unit', '')}")
    print("\n== self time ==")
    for name, value in sorted(self_time.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{100 * value / total:6.2f}%  {name[:150]}")
    print("\n== inclusive time ==")
    items = [(n, v) for n, v in incl_time.items() if match is None or match in n]
    for name, value in sorted(items, key=lambda kv: -kv[1])[:top]:
        print(f"{100 * value / total:6.2f}%  {name[:150]}")


if __name__ == "__main__":
    main()
