// The message over the replay stage while it loads, buffers or has nothing to show.
export class Overlay {
  constructor(root, text) {
    this.root = root;
    this.text = text;
  }

  show(message) {
    this.root.hidden = false;
    if (message != null) this.text.textContent = message;
  }

  hide() {
    this.root.hidden = true;
  }

  // A final state: the overlay stays, styled as an empty state.
  fail(message) {
    this.show(message);
    this.root.classList.add('overlay-empty');
  }
}
