# Sourced by the scripts in this folder: make .venv with a Python >= 3.10 and install consultkit into it.
# `ensure_venv EXTRAS` installs the package in editable mode with those extras (e.g. "test,lint"), and only
# reinstalls when pyproject.toml or the extras change.

find_python() {
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11 python3.10 python; do
        [ -n "$candidate" ] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "consultkit needs Python 3.10 or newer; install it or set PYTHON=/path/to/python3" >&2
    return 1
}

ensure_venv() {
    local extras="$1" spec="." stamp
    [ -n "$extras" ] && spec=".[$extras]"
    if [ ! -x .venv/bin/python ]; then
        echo "creating .venv ..." >&2
        "$(find_python)" -m venv .venv
    fi
    stamp="$(cat pyproject.toml | cksum | cut -d' ' -f1)-$extras"
    if [ "$(cat .venv/.consultkit-stamp 2>/dev/null)" != "$stamp" ]; then
        echo "installing consultkit${extras:+ with $extras} into .venv (first run takes a minute) ..." >&2
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec" 2>&1 \
            | grep -v "^WARNING: Location" >&2 || true
        .venv/bin/python -c "import consultkit" || { echo "installing consultkit failed" >&2; return 1; }
        echo "$stamp" > .venv/.consultkit-stamp
    fi
}
