/** The {@code /api/v1/nodes} resource: the registry's nodes as JSON. */
package io.cortexhub.web.api.nodes;
