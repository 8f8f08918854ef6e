// A Cloudflare Worker (bundled by `wrangler deploy --dry-run`, run by miniflare's workerd):
// creates the user the request's query names on the mock and answers with the collaborator.
import { AppliveryClient, AppliveryError } from 'applivery-oem';

export default {
  async fetch(request) {
    const query = new URL(request.url).searchParams;
    const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl: query.get('mock') });
    try {
      return Response.json(await client.createOemUser('demo-org', { email: query.get('email') }));
    } catch (error) {
      const kind = error instanceof AppliveryError ? error.kind : 'not an AppliveryError';
      return Response.json({ error: `${kind}: ${error}` }, { status: 500 });
    }
  },
};
