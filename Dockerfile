# Ledgerlens image: multi-stage, runs as the unprivileged `node` user. Built by docker-compose.yml.
#   docker build -t ledgerlens:local .
#   docker build --build-arg ORT_INSTALL=cuda12 -t ledgerlens:local-gpu .   # CUDA provider for NER
# Nothing is downloaded at run time; at build time only npm packages (and, for cuda12, the CUDA
# libraries onnxruntime-node's install script fetches).

ARG NODE_IMAGE=node:20.19-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG ORT_INSTALL=skip
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Scripts off: onnxruntime-node's postinstall would download CUDA libraries, and `prepare` needs the sources.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
COPY workers ./workers
COPY bench ./bench
RUN npx tsc -p tsconfig.json \
    && npm prune --omit=dev --ignore-scripts \
    && if [ "$ORT_INSTALL" != "skip" ]; then ONNXRUNTIME_NODE_INSTALL="$ORT_INSTALL" npm rebuild onnxruntime-node --foreground-scripts; fi

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    LEDGERLENS_STORE_DIR=/data/store \
    LEDGERLENS_API_HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node models ./models
COPY --from=build --chown=node:node /app/src/service/ui ./src/service/ui
# Volumes are created owned by the runtime user, so a fresh named volume is writable by it.
RUN mkdir -p /data/store /data/inbox && chown -R node:node /data
USER node
VOLUME ["/data/store"]
EXPOSE 8080
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["serve"]
