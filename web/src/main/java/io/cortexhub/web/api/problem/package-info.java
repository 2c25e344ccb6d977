/**
 * RFC 9457 problem details for every error of the REST API: the {@link
 * io.cortexhub.web.api.problem.Problem} body, the stable {@link
 * io.cortexhub.web.api.problem.ProblemType}s, and one exception mapper per kind of failure.
 */
package io.cortexhub.web.api.problem;
