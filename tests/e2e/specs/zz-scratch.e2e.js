import fs from "node:fs";
describe("scratch", () => {
  it("paint lag", async () => {
    await browser.waitUntil(async () => (await browser.execute(() => document.querySelectorAll('[data-testid^="store-health-"][data-state="up"]').length)) === 4, { timeout: 30000, interval: 200 });
    const t0 = Date.now();
    for (let i = 0; i < 6; i++) {
      const png = await browser.takeScreenshot();
      fs.writeFileSync(`/tmp/e2e-scratch/shot-${i}.png`, Buffer.from(png, "base64"));
      console.log(i, Date.now() - t0, png.length);
      if (i === 2) await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
      if (i === 3) console.log("raf done", Date.now() - t0);
      await browser.pause(500);
    }
  });
});
