# keyward server image. better-sqlite3 compiles from source here (no prebuilt download).
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY src ./src
COPY bin ./bin
# `npm ci` runs the prepare script, which compiles TypeScript into dist/.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=4000
# The code stays root-owned (the server cannot rewrite itself); only the default
# SQLite directory, ./data, belongs to the user the server runs as. A named volume
# mounted there (docker run -v keyward-data:/app/data) starts with that ownership.
COPY --from=build /app /app
RUN mkdir -p /app/data && chown node:node /app/data
EXPOSE 4000
USER node
CMD ["node", "dist/src/main.js"]
