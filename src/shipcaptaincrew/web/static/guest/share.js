// "Share this link": the phone's share sheet where there is one (Web Share API), else a copy to the clipboard.
const button = document.getElementById('share-link');
const status = document.getElementById('share-status');

if (button && status) {
  button.closest('.share').hidden = false;
  button.addEventListener('click', async () => {
    const url = window.location.href.split('#')[0];
    if (navigator.share) {
      try {
        await navigator.share({ title: document.title, text: 'Sign the waiver for our charter', url });
        return;
      } catch (error) {
        if (error.name === 'AbortError') return;
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = 'Link copied: paste it to the others in your party.';
    } catch {
      status.textContent = `Copy this link and send it to the others: ${url}`;
    }
  });
}
