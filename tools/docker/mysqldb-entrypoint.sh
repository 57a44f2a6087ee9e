#!/bin/sh
# Entrypoint of the mysqldb image (tools/docker/mysqldb.Dockerfile): the part of the mysql image's
# docker-entrypoint.sh Bookinfo relies on, for Debian's MariaDB. Starts as root, runs mariadbd as mysql.
#   empty datadir → mariadb-install-db; a temporary server (no networking) runs /docker-entrypoint-initdb.d/*.sql
#                   (test.ratings for Bookinfo) and gives root@localhost and root@% MYSQL_ROOT_PASSWORD
#   otherwise     → mariadbd on the existing data (a restarted container keeps its emptyDir)
set -eu
datadir=/var/lib/mysql
set -- --user=mysql --datadir="$datadir" --bind-address=0.0.0.0 --port=3306 --skip-name-resolve --skip-log-bin \
  --innodb-buffer-pool-size=16M --innodb-log-file-size=4M "$@"
if [ ! -d "$datadir/mysql" ]; then
  : "${MYSQL_ROOT_PASSWORD:?MYSQL_ROOT_PASSWORD must be set (bookinfo-mysql.yaml takes it from Secret mysql-credentials)}"
  mkdir -p "$datadir" /run/mysqld && chown mysql:mysql "$datadir" /run/mysqld
  echo "mysqldb: initialising $datadir" >&2
  mariadb-install-db --user=mysql --datadir="$datadir" --auth-root-authentication-method=normal --skip-test-db \
    --innodb-log-file-size=4M >/dev/null
  # As the mysql image: a temporary server without networking runs the SQL through the client (any SQL the
  # client takes: comments, multi-line statements), then stops; the real server starts below.
  sock=/run/mysqld/init.sock
  mariadbd "$@" --skip-networking --socket="$sock" &
  pid=$!
  i=0
  until mariadb --protocol=socket --socket="$sock" -uroot -e 'SELECT 1' >/dev/null 2>&1; do
    i=$((i + 1)) && [ $i -lt 120 ] || { echo "mysqldb: the initialising server did not start" >&2; exit 1; }
    sleep 0.5
  done
  pw=$(printf '%s' "$MYSQL_ROOT_PASSWORD" | sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g")
  {
    for f in /docker-entrypoint-initdb.d/*.sql; do [ -e "$f" ] && echo "mysqldb: running ${f##*/}" >&2 && cat "$f" && echo; done
    # root with the password, from anywhere: only root@localhost and root@% (mariadb-install-db's
    # passwordless root@127.0.0.1 / ::1 / <hostname> would win over root@% for the sidecar's connections).
    echo "DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1', 'root'@'$(hostname)';"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY '$pw';"
    echo "GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$pw';"
  } | mariadb --protocol=socket --socket="$sock" -uroot
  kill "$pid" && wait "$pid" || true
  echo "mysqldb: initialised" >&2
fi
mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
exec mariadbd "$@"
