/**
 * Benchmarks (programs, not tests): the hub's fleet capacity, end-to-end echo throughput and latency, and
 * the raw grpc-java bidi echo ceiling on the same machine. Results go to docs/benchmarks.md.
 */
package io.cortexhub.e2e.bench;
