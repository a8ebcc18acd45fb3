# Multi-stage build: a static bigmath binary on a minimal image, run as a
# non-root user. Configure it with DATABASE_URL (required in a container: the
# embedded cluster needs the PostgreSQL server binaries, which this image
# does not carry).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/bigmath/bigmath.Version=${VERSION}" -o /out/bigmath ./cmd/bigmath

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/bigmath /usr/local/bin/bigmath
USER nonroot:nonroot
ENV BIGMATH_ADDR=0.0.0.0:8080 \
    BIGMATH_DATA_DIR=/tmp/bigmath
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/bigmath"]
CMD ["serve"]
