#!/usr/bin/env bash
# Runs a command with GRADER_TEST_BROKER_URL on a RabbitMQ virtual host of its own on this machine's
# RabbitMQ (127.0.0.1:5672, guest/guest), deleted afterwards; so the worker integration tests run on
# RabbitMQ as Celery's broker too, next to any other run on the same server.
set -euo pipefail
if ! command -v rabbitmqctl >/dev/null || ! rabbitmqctl -q list_vhosts >/dev/null 2>&1; then
  echo "tests/rabbitmq_vhost.sh: rabbitmqctl cannot reach RabbitMQ; the RabbitMQ run of the worker tests is skipped" >&2
  exit 0
fi
vhost="grader_test_$$_$RANDOM"
rabbitmqctl -q add_vhost "$vhost" >/dev/null
trap 'rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true' EXIT
rabbitmqctl -q set_permissions -p "$vhost" guest ".*" ".*" ".*" >/dev/null
GRADER_TEST_BROKER_URL="amqp://guest:guest@127.0.0.1:5672/$vhost" "$@"
