// Creates an OEM user and shows its secret once; a taken email is said in words.
import { AppliveryClient, AppliveryError } from 'applivery-oem';

const client = new AppliveryClient({
  apiKey: 'mock-api-key',
  baseUrl: import.meta.env.VITE_APPLIVERY_BASE_URL,
});
const form = document.querySelector('#create');
const secret = document.querySelector('[data-testid="secret"]');
const error = document.querySelector('#error');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  secret.textContent = '';
  error.textContent = '';
  try {
    const user = await client.createOemUser('demo-org', { email: form.email.value });
    secret.textContent = user.oemSecret.expose();
  } catch (e) {
    error.textContent =
      e instanceof AppliveryError && e.kind === 'already_registered'
        ? 'This email is already registered.'
        : `Could not create the user: ${e.message}`;
  }
});
