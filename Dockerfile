# Flotilla: one image for every server role (api, worker, gateway) and the agent.
# The code runs as TypeScript through tsx, which is a production dependency, so `npm ci --omit=dev`
# installs everything a role needs. Pick the role with the command:
#   api      npx tsx src/main/api.ts        (default)
#   worker   npx tsx src/main/worker.ts
#   gateway  npx tsx src/main/gateway.ts
#   agent    npx tsx src/main/agent.ts --gateway ws://HOST:8081 --device-id ID   (token in FLOTILLA_AGENT_TOKEN)
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app

# Dependencies first, so code changes do not reinstall them. The Temporal worker's native bridge
# ships prebuilt for linux-x64/arm64 glibc, which bookworm provides.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY drizzle ./drizzle
COPY src ./src
# The web console the API serves at / (esbuild and preact are production dependencies for this).
RUN npx tsx src/console/build.ts --force

# Non-root: the image's `node` user (uid 1000). The code is read-only to it; tsx caches in /tmp.
USER node

# 8080 API, 8081 agent gateway.
EXPOSE 8080 8081
CMD ["npx", "tsx", "src/main/api.ts"]
