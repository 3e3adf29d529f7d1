# mnis-ca-gateway container image (multi-stage).
#
#   build    full `npm ci` (Nest CLI, TypeScript, ts-node) and `nest build` -> dist/main.js.
#            docker-compose.yml also runs the vendor simulators from this stage (profile `simulators`, trial only).
#   runtime  production dependencies only, the compiled dist/, NODE_ENV=production, non-root `node` user.
#
#   docker build -t mnis-ca-gateway:local .
#   docker run --init -p 3000:3000 -v "$PWD/docker/secrets:/run/secrets:ro" \
#              -e MONGODB_URI_FILE=/run/secrets/mongodb_uri -e COSS_BASE_URL=... -e COSS_APP_SECRET_FILE=... \
#              -e ANHUI_SCAN_BASE_URL=... -e ANHUI_ACCOUNT_NAME=... -e ANHUI_PASSWORD_FILE=... mnis-ca-gateway:local
#
# Secrets are read from files (<NAME>_FILE, src/config/secret-files.ts): docker-compose.yml mounts them as Docker
# secrets under /run/secrets, readable by the `node` user. The image itself holds none (.dockerignore).
#
# Run it with an init process (`docker run --init`, compose `init: true`): the node images ship no tini, and
# node as PID 1 reaps no orphaned children. With NODE_ENV=production the gateway refuses to start without
# MONGODB_URI and the settings of every enabled CA vendor (see src/config/environment.ts).
#
# Pinned to the Node 20.20 line (package.json engines: >=20.19; every locked dependency accepts it, which
# src/config/node-engines.spec.ts checks).
# For reproducible releases pin the digest as well: --build-arg NODE_IMAGE=node:20.20-bookworm-slim@sha256:...
ARG NODE_IMAGE=node:20.20-bookworm-slim

# ---------------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# No install script is needed to build or run: --ignore-scripts skips @scarf/scarf's install telemetry and the
# native-build attempts of testcontainers' optional ssh2/cpu-features. MONGOMS_DISABLE_POSTINSTALL=1 also keeps
# mongodb-memory-server from downloading a mongod should a script ever run.
ENV MONGOMS_DISABLE_POSTINSTALL=1 \
    SCARF_ANALYTICS=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
# package.json `overrides` point at file:./tools/empty-package: it must be present for npm ci.
COPY tools/empty-package/ ./tools/empty-package/
RUN npm ci --ignore-scripts
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY src/ ./src/
# The console page (Vite, devDependencies above): built into console/dist, served at /console/.
COPY console/ ./console/
RUN npm run build

# ---------------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    MONGOMS_DISABLE_POSTINSTALL=1 \
    SCARF_ANALYTICS=false \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY package.json package-lock.json ./
COPY tools/empty-package/ ./tools/empty-package/
# The files stay owned by root: the `node` user can read them but not change them.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/console/dist ./console/dist

USER node
EXPOSE 3000
# Liveness only (GET /health); readiness (/health/ready, a database ping) is checked by docker-compose.yml.
# Node's own http(s) client (the slim image has no curl or wget); HTTPS when the gateway serves TLS itself.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const web = require(process.env.TLS_CERT_FILE ? 'https' : 'http'); web.get((process.env.TLS_CERT_FILE ? 'https' : 'http') + '://127.0.0.1:' + (process.env.PORT || 3000) + '/health', { rejectUnauthorized: false, timeout: 4000 }, (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"]
CMD ["node", "dist/main.js"]
