# One image for both entrypoints: `node server/dist/server/src/main.js` (HTTP) and `.../worker.js` (queues).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY web/package.json web/
COPY collectors/package.json collectors/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV NODE_ENV=production PORT=4000 DATA_DIR=/data
EXPOSE 4000
CMD ["node", "--max-semi-space-size=64", "server/dist/server/src/main.js"]
