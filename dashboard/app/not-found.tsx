import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="card empty">
      <h3>Page not found</h3>
      <div>
        That page does not exist. <Link href="/">Go to the overview</Link>.
      </div>
    </div>
  );
}
