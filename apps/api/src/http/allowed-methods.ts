import type { RouteOptions } from 'fastify';

export interface RouteIndex {
  /** Give it to `onRoute`: records each route's pattern and methods. */
  record(route: RouteOptions): void;
  /** The methods some route accepts on this concrete path, sorted; none for an unknown path. */
  allowedMethods(path: string): string[];
}

/**
 * Fastify answers 404 to a known path asked with another method, where HTTP wants 405 and
 * an `Allow` header, and it has no lookup by concrete path: this index of the route
 * patterns fills in. It understands plain segments and `:name` parameters, all the API
 * uses; wildcard routes (the web app's files) match too much to say anything, and are left out.
 */
export function createRouteIndex(): RouteIndex {
  const routes: Array<{ pattern: RegExp; methods: readonly string[] }> = [];
  return {
    record: (route) => {
      if (route.url.includes('*')) return;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      routes.push({ pattern: patternOf(route.url), methods });
    },
    allowedMethods: (path) => {
      const allowed = new Set<string>();
      for (const { pattern, methods } of routes) {
        if (pattern.test(path)) for (const method of methods) allowed.add(method);
      }
      return [...allowed].sort();
    },
  };
}

function patternOf(url: string): RegExp {
  const segments = url
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    );
  return new RegExp(`^${segments.join('/')}$`);
}
