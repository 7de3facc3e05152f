#!/bin/sh
# The temporal-create-namespace job: register the namespace Switchboard uses and its custom
# search attributes, all of type Keyword (SQL visibility allows only 3 Text attributes).
# Idempotent: an existing namespace is kept, and an attribute that already exists with the same
# type is left alone (one with another type is an error, and stops the deployment).
#
# Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_NAMESPACE_RETENTION,
# KEYWORD_SEARCH_ATTRIBUTES (space-separated names: switchboard.temporal.SEARCH_ATTRIBUTES,
# which tests/test_compose.py checks).
set -eu

address="${TEMPORAL_ADDRESS:?}"
namespace="${TEMPORAL_NAMESPACE:?}"
retention="${TEMPORAL_NAMESPACE_RETENTION:-168h}"
attributes="${KEYWORD_SEARCH_ATTRIBUTES:?}"

# The server's port opens before every service in it is ready: wait for SERVING.
tries=0
until temporal operator cluster health --address "$address" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 90 ]; then
        echo "Temporal at $address is not serving" >&2
        exit 1
    fi
    sleep 2
done

created=0
if temporal operator namespace describe --namespace "$namespace" --address "$address" >/dev/null 2>&1; then
    echo "namespace $namespace already exists"
elif out=$(temporal operator namespace create --namespace "$namespace" --retention "$retention" \
    --address "$address" 2>&1); then
    echo "namespace $namespace created (retention $retention)"
    created=1
else
    case "$out" in
        *"already exists"* | *"already registered"*) echo "namespace $namespace already exists" ;;
        *)
            echo "$out" >&2
            exit 1
            ;;
    esac
fi

set --
for name in $attributes; do
    set -- "$@" --name "$name" --type Keyword
done

# A namespace created a moment ago may not be visible yet: retry for a while.
tries=0
until out=$(temporal operator search-attribute create --namespace "$namespace" \
    --address "$address" "$@" 2>&1); do
    case "$out" in
        *"different type"*)
            echo "$out" >&2
            exit 1
            ;;
        *"already exists"*) break ;;
    esac
    tries=$((tries + 1))
    if [ "$tries" -ge 30 ]; then
        echo "$out" >&2
        exit 1
    fi
    sleep 2
done

# Check: `-o json` prints the ListSearchAttributes response, {"customAttributes": {NAME: TYPE}}.
listing=$(temporal operator search-attribute list --namespace "$namespace" --address "$address" -o json)
for name in $attributes; do
    if ! echo "$listing" | grep -Eq "\"$name\"[[:space:]]*:[[:space:]]*\"INDEXED_VALUE_TYPE_KEYWORD\""; then
        echo "search attribute $name (Keyword) is missing from namespace $namespace" >&2
        exit 1
    fi
done
echo "search attributes registered in $namespace: $attributes"

if [ "$created" -eq 1 ]; then
    # The services cache namespaces and refresh every 10 s: let a new one reach them before
    # the worker starts polling it.
    sleep 15
fi
