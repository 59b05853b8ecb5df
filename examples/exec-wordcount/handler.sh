#!/bin/sh
# A Skiff function for the exec runtime: counts the lines, words and bytes of the request body.
set -e
set -- $(wc -l -w -c)
printf 'lines=%s words=%s bytes=%s\n' "$1" "$2" "$3"
