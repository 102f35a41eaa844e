// Progressive enhancement: a canvas to draw a signature; the form works without it.
const box = document.querySelector(".draw");
const canvas = document.getElementById("signature-pad");
const output = document.getElementById("drawn_signature");

if (box && canvas && output && canvas.getContext) {
  box.hidden = false;
  const pen = canvas.getContext("2d");
  pen.lineWidth = 3;
  pen.lineCap = "round";
  pen.strokeStyle = "#14213d";
  let drawing = false;
  let drawn = false;
  if (output.value) { // a drawing kept from the form sent before: shown again, and sent again unless cleared
    const kept = new Image();
    kept.addEventListener('load', () => pen.drawImage(kept, 0, 0, canvas.width, canvas.height));
    kept.src = output.value;
    drawn = true;
  }

  const point = (event) => {
    const area = canvas.getBoundingClientRect();
    return [(event.clientX - area.left) * (canvas.width / area.width), (event.clientY - area.top) * (canvas.height / area.height)];
  };
  canvas.addEventListener("pointerdown", (event) => {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    pen.beginPath();
    pen.moveTo(...point(event));
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    pen.lineTo(...point(event));
    pen.stroke();
    drawn = true;
  });
  const finish = () => {
    if (drawing && drawn) output.value = canvas.toDataURL("image/png");
    drawing = false;
  };
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  document.getElementById("clear-signature").addEventListener("click", () => {
    pen.clearRect(0, 0, canvas.width, canvas.height);
    output.value = "";
    drawn = false;
  });
}
