// A Cloudflare Worker (bundled by `wrangler deploy --dry-run`, run by miniflare's workerd):
// creates the user the request's query names on the mock, two more in a bulk run (which loads
// the package's bulk engine), and answers with the collaborator and `bulk`, each bulk outcome.
import { AppliveryClient, AppliveryError } from 'applivery-oem';

export default {
  async fetch(request) {
    const query = new URL(request.url).searchParams;
    const client = new AppliveryClient({ apiKey: 'mock-api-key', baseUrl: query.get('mock') });
    try {
      const email = query.get('email');
      const created = await client.createOemUser('demo-org', { email });
      const bulk = [];
      for await (const { outcome, collaborator } of client.createOemUsers('demo-org', [
        { email: `bulk-1-${email}` },
        { email: `bulk-2-${email}` },
      ])) {
        bulk.push({ outcome, email: collaborator?.user.email });
      }
      return Response.json({ ...created, bulk });
    } catch (error) {
      const kind = error instanceof AppliveryError ? error.kind : 'not an AppliveryError';
      return Response.json({ error: `${kind}: ${error}` }, { status: 500 });
    }
  },
};
