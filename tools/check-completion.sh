#!/usr/bin/env bash
# Drives the zsh and PowerShell completion scripts of `drift completion zsh|pwsh` in the real shells (issue 18).
#
#   tools/check-completion.sh DRIFT [zsh|pwsh ...]
#
# DRIFT is the tool to check: its apphost (src/Drift.Cli/bin/Debug/net10.0/Drift.Cli) or its drift.dll (run with dotnet).
# The shells default to both; a shell that is not installed fails the check (install zsh with apt, PowerShell with
# `dotnet tool install --tool-path DIR PowerShell` and put DIR on PATH or set PWSH=DIR/pwsh).
#
# zsh: each case starts `zsh -f -i` in a pseudo-terminal (zpty), loads compinit and the script drift prints, types the
# line and TAB, and records what the completion system really adds: the script's compadd calls go through zsh's own
# matching against the word under the cursor (a wrapper around the builtin compadd, in the manner of
# zsh-capture-completion), so a candidate zsh would drop does not count.
# PowerShell: one `pwsh -NoProfile` session sources the script and asks TabExpansion2 for each line.
# Each case names a candidate that must be offered; every candidate offered must start with the word being completed.
# Prints one line per case and shell, then "N passed, N failed"; exits 1 when a case fails. CI machines lack both shells,
# so this is a documented check (docs/cli.md, "Shell completion"), run by hand after a change to the completion.
set -uo pipefail

if [ $# -lt 1 ]; then echo "usage: $0 DRIFT [zsh|pwsh|bash ...]" >&2; exit 2; fi
drift_path=$(realpath "$1") || { echo "no such file: $1" >&2; exit 2; }
shift
shells=("$@")
[ ${#shells[@]} -eq 0 ] && shells=(zsh pwsh)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
# The scripts call `drift` by name: put a `drift` that runs the tool under check first on PATH.
case "$drift_path" in
  *.dll) printf '#!/bin/sh\nexec dotnet "%s" "$@"\n' "$drift_path" >"$work/bin/drift" ;;
  *) printf '#!/bin/sh\nexec "%s" "$@"\n' "$drift_path" >"$work/bin/drift" ;;
esac
chmod +x "$work/bin/drift"
export PATH="$work/bin:$PATH"

# line typed after the prompt (the cursor at its end) | a candidate that must be offered
cases=(
  "drift sim|simulate"
  "drift --ver|--version"
  "drift simulate --sol|--solver"
  "drift simulate --solver |euler"
  "drift simulate --solver s|skencarp"
  "drift simulate lor|lorenz"
  "drift simulate --paths 10 --solver mil|milstein-strat"
  "drift simulate --solver=e|--solver=euler"
  "drift models lor|lorenz96"
  "drift solve duf|duffing"
  "drift lyapunov ross|rossler"
  "drift diffuse s|sample"
  "drift diffuse sample --sampler dd|ddim"
  "drift diffuse train --objective |flow"
  "drift ssa --method t|tau-leap"
  "drift ssa f|fit"
  "drift mcmc --sampler |nuts"
  "drift mcmc fun|funnel"
  "drift price |heston"
  "drift price --prov|--provenance"
  "drift completion |pwsh"
)

passed=0
failed=0
# check SHELL LINE EXPECTED CANDIDATES(newline-separated)
check() {
  local shell=$1 line=$2 expected=$3 got=$4 word=${2##* } bad count
  bad=$(printf '%s\n' "$got" | grep -v '^$' | while IFS= read -r c; do [[ "$c" == "$word"* ]] || printf '%s ' "$c"; done)
  count=$(printf '%s\n' "$got" | grep -vc '^$')
  if printf '%s\n' "$got" | grep -qxF -- "$expected" && [ -z "$bad" ]; then
    passed=$((passed + 1)); echo "ok    $shell: '$line' offers $expected ($count candidates)"
  else
    failed=$((failed + 1))
    echo "FAIL  $shell: '$line' should offer '$expected' and only words starting '$word'; offered: $(printf '%s\n' "$got" | tr '\n' ' ')${bad:+ (not starting with '$word': $bad)}"
  fi
}

run_zsh() {
  if ! command -v zsh >/dev/null; then failed=$((failed + 1)); echo "FAIL  zsh: not installed"; return; fi
  drift completion zsh >"$work/_drift.zsh" || { failed=$((failed + 1)); echo "FAIL  zsh: drift completion zsh failed"; return; }
  cat >"$work/init.zsh" <<EOF
autoload -Uz compinit && compinit -u -D
source "$work/_drift.zsh"
compadd () {
  # Queries (-O/-A/-D: store matches in an array) pass through; real additions are recorded, after zsh's own matching.
  if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "\$@"; return \$?; fi
  typeset -a __hits
  builtin compadd -A __hits "\$@"
  (( \${#__hits} )) && print -r -l -- "<candidate>"\${^__hits}
  builtin compadd "\$@"
}
_files () { print -r -- "<files>" }
bindkey '^I' complete-word
comppostfuncs=( exit )
EOF
  local entry line expected got
  for entry in "${cases[@]}"; do
    line=${entry%%|*}; expected=${entry#*|}
    got=$(timeout 60 zsh -f -c '
      zmodload zsh/zpty
      zpty z "zsh -f -i"
      zpty -w z "source ${(q)1}"
      zpty -w z "PS1=\"<prompt>\""
      zpty -n -w z "$2"$'"'"'\t'"'"'
      local out chunk
      # The completion ends with exit (comppostfuncs): read until the pseudo-terminal closes.
      while zpty -r z chunk 2>/dev/null; do out+=$chunk; done
      print -r -- "$out"
    ' zsh "$work/init.zsh" "$line" 2>/dev/null | tr -d '\r' | grep -ao '<candidate>.*' | sed 's/^<candidate>//; s/\x1b\[[0-9;]*[A-Za-z]//g' | sort -u)
    check zsh "$line" "$expected" "$got"
  done
}

run_bash() {
  drift completion bash >"$work/drift.bash" || { failed=$((failed + 1)); echo "FAIL  bash: drift completion bash failed"; return; }
  # Readline splits the line into COMP_WORDS itself; the script's function is wrapped to print what it offers, then
  # the shell is killed so that the pseudo-terminal closes.
  {
    echo "source '$work/drift.bash'"
    echo 'eval "$(declare -f _drift_complete | sed "1s/_drift_complete/_drift_original/")"'
    echo '_drift_complete () { _drift_original "$@"; printf "<candidate>%s\n" "${COMPREPLY[@]}" >/dev/tty; kill -9 $$; }'
  } >"$work/init.bash"
  local entry line expected got
  for entry in "${cases[@]}"; do
    line=${entry%%|*}; expected=${entry#*|}
    # bash breaks words at '=' (COMP_WORDBREAKS): '--name=value' completion is zsh's and PowerShell's only.
    [[ "$line" == *=* ]] && continue
    got=$(timeout 60 zsh -f -c '
      zmodload zsh/zpty
      zpty b "bash --norc --noprofile -i"
      zpty -w b "source ${(q)1}"
      zpty -n -w b "$2"$'"'"'\t'"'"'
      local out chunk
      while zpty -r b chunk 2>/dev/null; do out+=$chunk; done
      print -r -- "$out"
    ' zsh "$work/init.bash" "$line" 2>/dev/null | tr -d '\r' | grep -ao '<candidate>.*' | sed 's/^<candidate>//; s/\x1b\[[0-9;]*[A-Za-z]//g' | sort -u)
    check bash "$line" "$expected" "$got"
  done
}

run_pwsh() {
  local pwsh=${PWSH:-$(command -v pwsh || echo /work/tools/pwsh/pwsh)}
  if [ ! -x "$pwsh" ]; then failed=$((failed + 1)); echo "FAIL  pwsh: not installed"; return; fi
  printf '%s\n' "${cases[@]}" >"$work/cases.txt"
  cat >"$work/check.ps1" <<'EOF'
param([string]$Cases)
drift completion pwsh | Out-String | Invoke-Expression
foreach ($entry in Get-Content $Cases) {
    $line = $entry.Split('|')[0]
    $r = TabExpansion2 -inputScript $line -cursorColumn $line.Length
    foreach ($m in $r.CompletionMatches) { "$line|$($m.CompletionText)" }
    "$line|<end>"
}
EOF
  local out
  out=$(timeout 300 "$pwsh" -NoProfile -NonInteractive -File "$work/check.ps1" -Cases "$work/cases.txt" 2>&1) || true
  local entry line expected got
  for entry in "${cases[@]}"; do
    line=${entry%%|*}; expected=${entry#*|}
    got=$(printf '%s\n' "$out" | grep -F -- "$line|" | grep -xv -F -- "$line|<end>" | while IFS= read -r l; do [[ "$l" == "$line|"* ]] && echo "${l#"$line|"}"; done | sort -u)
    if ! printf '%s\n' "$out" | grep -qxF -- "$line|<end>"; then got="(pwsh did not answer: $(printf '%s\n' "$out" | tail -3 | tr '\n' ' '))"; fi
    check pwsh "$line" "$expected" "$got"
  done
}

for shell in "${shells[@]}"; do
  case "$shell" in
    zsh) run_zsh ;;
    bash) run_bash ;;
    pwsh) run_pwsh ;;
    *) echo "unknown shell '$shell' (zsh, pwsh or bash)" >&2; exit 2 ;;
  esac
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
