# syntax=docker/dockerfile:1
# The ChatOps robot as a container image: built with pnpm, shipped as the production bundle
# (`pnpm deploy --prod` of packages/bundle: the CLI, both adapters, plugin-ping, -shell and -aws)
# on a slim Node.js 24 image. Runs as a non-root user, works with a read-only root file system.
#   docker build -t chatops .                  # the slim image
#   docker build -t chatops:tools --target tools .   # plus the AWS CLI, jq and ssh for scripts
#   docker run --rm -it chatops                # the shell adapter in your terminal
# Config: /etc/chatops/chatops.config.yaml (mount your own). State and audit: /var/lib/chatops.

ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS build
ENV PNPM_HOME=/pnpm CI=true
ENV PATH=/pnpm:$PATH
RUN corepack enable
WORKDIR /src
# Dependencies first, from the lockfile alone, so a code change does not refetch them.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm fetch
COPY . .
RUN --mount=type=cache,id=pnpm,target=/pnpm/store \
    pnpm install --frozen-lockfile --offline \
    && pnpm run build \
    && pnpm --filter @chatops/bundle deploy --legacy --prod --offline /out

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
# tini is PID 1: it forwards SIGTERM (the robot drains in-flight commands) and reaps the child
# processes of scripts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 chatops \
    && useradd --system --uid 10001 --gid chatops --home-dir /var/lib/chatops --shell /usr/sbin/nologin chatops \
    && install -d -o chatops -g chatops -m 0750 /var/lib/chatops \
    && install -d -o chatops -g chatops -m 0750 /run/chatops \
    && install -d -m 0755 /etc/chatops
COPY --from=build /out /opt/chatops
COPY deploy/chatops.config.yaml /etc/chatops/chatops.config.yaml
RUN ln -s /opt/chatops/bin/chatops.js /usr/local/bin/chatops
ENV NODE_ENV=production CHATOPS_STATE_DIR=/var/lib/chatops CHATOPS_HTTP_PORT=8080
WORKDIR /opt/chatops
USER 10001:10001
VOLUME ["/etc/chatops", "/var/lib/chatops"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.CHATOPS_HTTP_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["tini", "--", "chatops"]
CMD ["start", "--config", "/etc/chatops/chatops.config.yaml"]

# The variant for the example scripts (examples/scripts): the AWS CLI, jq and an ssh client.
FROM runtime AS tools
USER root
RUN apt-get update \
    && apt-get install -y --no-install-recommends awscli jq openssh-client \
    && rm -rf /var/lib/apt/lists/*
COPY --chown=root:root examples/scripts /opt/chatops/scripts
USER 10001:10001

# The default target: the slim image.
FROM runtime
