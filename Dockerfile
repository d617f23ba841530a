# syntax=docker/dockerfile:1
#
# A small static image running tickerd as a non-root user:
#
#   docker build -t tickerd --build-arg VERSION=v1.2.3 --build-arg COMMIT=$(git rev-parse HEAD) .
#   docker run -d -p 8080:8080 -v tickerd-data:/data \
#     -v $PWD/config.yaml:/etc/tickerd/config.yaml:ro tickerd
#   docker kill -s HUP <container>     # reload the config
#
# Without a config mounted it runs the demo feeds. A mounted config must
# keep `data:` under /data, the volume.

FROM golang:1.26-bookworm AS build
WORKDIR /src
# Modules first, so code changes reuse the download layer.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=0.1.0-dev
ARG COMMIT=
# Static (no cgo), reproducible paths (-trimpath); .git is not copied, so
# the commit comes from the build argument.
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
      -o /out/tickerd ./cmd/tickerd \
 && /out/tickerd check -config deploy/docker-config.yaml \
 && mkdir -p /out/data

# distroless/static: CA certificates and tzdata, no shell, no libc; the
# nonroot variant runs as uid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tickerd /usr/local/bin/tickerd
COPY deploy/docker-config.yaml /etc/tickerd/config.yaml
COPY demo/ /etc/tickerd/demo/
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/tickerd"]
CMD ["serve", "-config", "/etc/tickerd/config.yaml"]
