# A static build of the app served by nginx with the security headers of
# scripts/lib/securityHeaders.ts (the same as the preview server's and dist/_headers).
#   docker build -t carto-login-app \
#     --build-arg VITE_CARTO_CLIENT_ID=... \
#     --build-arg VITE_CARTO_AUTH_SERVER=https://auth.carto.com \
#     --build-arg VITE_CARTO_API_BASE_URL=https://gcp-us-east1.api.carto.com .
#   docker run -p 8080:8080 carto-login-app
# Only VITE_* values go in: they ship to the browser anyway. Never a secret.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
ARG VITE_CARTO_CLIENT_ID
ARG VITE_CARTO_SCOPES
ARG VITE_CARTO_AUTH_SERVER
ARG VITE_CARTO_API_BASE_URL
ARG VITE_CARTO_OAUTH_FLOW
ARG VITE_CARTO_FORCE_LOGIN
RUN npm run basemap && npx vite build \
  && npx tsx scripts/security-headers.ts --nginx > /app/security-headers.conf

FROM nginx:1.27-alpine
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /app/security-headers.conf /etc/nginx/security-headers.conf
COPY --from=build /app/dist /usr/share/nginx/html
EXPOSE 8080
