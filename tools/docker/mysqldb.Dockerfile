# Bookinfo's mysqldb (samples/bookinfo/platform/kube/bookinfo-mysql.yaml: ratings v2's MySQL backend) as Istio's
# docker.io/istio/examples-bookinfo-mysqldb, with MariaDB from Debian instead of the mysql image:
#
#   docker build -f tools/docker/mysqldb.Dockerfile -t docker.io/istio/examples-bookinfo-mysqldb:1.20.2 .
#
# The context is the repository root (.dockerignore lets samples/bookinfo/src/mysql/mysqldb-init.sql through).
# Classic builder compatible. On the first start with an empty /var/lib/mysql the entrypoint does what the mysql
# image's does for Bookinfo: root's password from MYSQL_ROOT_PASSWORD (root@localhost and root@%), then
# /docker-entrypoint-initdb.d/*.sql; mariadbd then listens on 0.0.0.0:3306.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
# Skipped when the base already has MariaDB (tools/cluster's debian:bookworm-slim: no apt mirror in the cluster).
RUN command -v mariadbd >/dev/null 2>&1 \
 || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends mariadb-server mariadb-client \
     && rm -rf /var/lib/apt/lists/*)
COPY samples/bookinfo/src/mysql/mysqldb-init.sql /docker-entrypoint-initdb.d/
COPY tools/docker/mysqldb-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
# Debian's postinst initialises /var/lib/mysql; the image starts empty, so the entrypoint initialises it as above.
RUN chmod 0755 /usr/local/bin/docker-entrypoint.sh \
 && rm -rf /var/lib/mysql && mkdir -p /var/lib/mysql /run/mysqld && chown mysql:mysql /var/lib/mysql /run/mysqld
VOLUME /var/lib/mysql
EXPOSE 3306
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
