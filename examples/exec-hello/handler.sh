#!/bin/sh
# A Skiff function for the exec runtime (the OpenFaaS classic watchdog contract): the request body
# arrives on stdin, the answer goes to stdout, and a non-zero exit is a failed call (the caller gets 502).
# Http_Method, Http_Path and Http_Query are in the environment, as is the function's own env:
# GREETING, when set, replaces "Hello from exec".
name=$(cat)
[ -n "$name" ] || name=world
printf '%s, %s!\n' "${GREETING:-Hello from exec}" "$name"
