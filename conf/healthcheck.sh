#!/bin/bash
# The container's health check (compose and the stack run it): healthy when /health/ready answers
# 200. Plain bash, since the gateway image carries no HTTP client: one HTTP/1.0 request over
# /dev/tcp to the port and base URL the gateway itself reads: its plain-HTTP operations port
# when one is set (KG_OPS_PORT: the API port may speak TLS), else the API port.
port="${EG_PORT:-${KG_PORT:-8888}}"
if [[ "${KG_OPS_PORT:-0}" != "0" ]]; then port="${KG_OPS_PORT}"; fi
base="${EG_BASE_URL:-${KG_BASE_URL:-/}}"
base="/${base#/}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %shealth/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' "${base%/}/" >&3
IFS= read -r -t 5 status <&3 || exit 1
[[ "${status}" == *" 200 "* ]]
