#!/usr/bin/env bash
# The long crash loop: runs the real conductor as a process under concurrent durable writes from several clients,
# SIGKILLs it, restarts it, and checks after every restart that the database opened cleanly, that every acknowledged
# write is present, and that the long-lived clients reconnected without being restarted.
#
#   tools/crash-loop.sh                 # 25 rounds, 4 compute writers + 1 admin writer
#   tools/crash-loop.sh --rounds 50 --writers 8 --seed 1234 --keep
#
# Exits 0 only if every round passed. Loopback only; the conductor and the work directory are cleaned up (kept on
# failure, or with --keep, for inspection).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet build "$root/tools/Conductor.CrashLoop/Conductor.CrashLoop.csproj" -c Release --nologo -v quiet
rounds_given=0
for arg in "$@"; do [[ "$arg" == "--rounds" ]] && rounds_given=1; done
extra=()
[[ $rounds_given -eq 0 ]] && extra=(--rounds 25)
exec dotnet "$root/tools/Conductor.CrashLoop/bin/Release/net10.0/Conductor.CrashLoop.dll" "${extra[@]}" "$@"
