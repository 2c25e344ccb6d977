/**
 * The hub's REST API ({@code /api/v1}): the JAX-RS application and its OpenAPI description. Each
 * resource lives in a sub-package by feature; errors are mapped in {@code problem}.
 */
package io.cortexhub.web.api;
