# syntax=docker/dockerfile:1
# claude-gateway: build the TypeScript, then run it on a slim Node 24 as a non-root user.
# The configuration is mounted at /etc/claude-gateway/claude-gateway.yaml (see deploy/compose.yaml).

ARG NODE_IMAGE=node:24-bookworm-slim

# Build: every dependency (TypeScript included), then dist/. Scripts are skipped at `npm ci` (the package's
# `prepare` would build before the sources are copied); better-sqlite3's native addon is built on its own.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only, with the same native addon build.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm rebuild better-sqlite3 && npm cache clean --force

# Runtime: no compiler, no dev dependencies, no sources.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
# The young generation capped as the claude-gateway command caps it (its first line): Node 24 lets it
# grow to 128 MB, which a gateway holding many streams keeps resident.
ENV NODE_OPTIONS=--max-semi-space-size=8
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json LICENSE ./
COPY deploy/healthcheck.mjs ./deploy/healthcheck.mjs
# The local journal (and a SQLite log, if one is used) lives here: writable by the non-root user.
RUN mkdir -p /etc/claude-gateway /var/lib/claude-gateway && chown node:node /var/lib/claude-gateway
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["node", "deploy/healthcheck.mjs"]
CMD ["node", "dist/cli/main.js", "serve", "--config", "/etc/claude-gateway/claude-gateway.yaml", "--host", "0.0.0.0", "--port", "4000"]
