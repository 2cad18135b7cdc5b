"""The pieces of the large data files kept between builds (generator/pieces.py)."""

from __future__ import annotations

from pathlib import Path

from generator.pieces import NO_PIECES, Pieces, read_pieces, write_pieces


def test_pieces_are_read_back_as_they_were_written(tmp_path: Path) -> None:
    path = tmp_path / "t.bin"
    # Any bytes: new lines, spaces, the format's own head, nothing at all.
    pieces = {"a1": b"line\nwith \n new lines\n", "b2": b"", "c3": b"decision-portal pieces 1\n",
              "d4": "£ and ü".encode()}
    write_pieces(path, pieces)
    assert read_pieces(path) == pieces


def test_a_damaged_or_foreign_file_gives_no_pieces(tmp_path: Path) -> None:
    path = tmp_path / "t.bin"
    write_pieces(path, {"a1": b"first", "b2": b"second"})
    whole = path.read_bytes()
    for damaged in (whole[:-3], whole[:-1], whole.replace(b"a1 5", b"a1 9"),
                    whole.replace(b"a1 5", b"a1 x"), b"other\n" + whole, b""):
        path.write_bytes(damaged)
        assert read_pieces(path) == {}, damaged
    assert read_pieces(tmp_path / "missing.bin") == {}


def test_a_piece_is_made_only_when_its_key_is_new(tmp_path: Path) -> None:
    path = tmp_path / "t.bin"
    made: list[str] = []

    def make(name: str) -> bytes:
        made.append(name)
        return f"piece of {name}".encode()

    first = Pieces(path, {"x": "k1", "y": "k2"})
    assert [first.get(n, lambda n=n: make(n)) for n in ("x", "y")] == [b"piece of x",
                                                                       b"piece of y"]
    first.save()
    # y's key changed (its decision did); z is new; x is gone.
    second = Pieces(path, {"y": "k3", "z": "k4"})
    assert second.get("y", lambda: make("y")) == b"piece of y"
    assert second.get("z", lambda: make("z")) == b"piece of z"
    assert made == ["x", "y", "y", "z"] and second.made == 2
    second.save()
    # Only this build's pieces are kept: the file never grows with old ones.
    assert set(read_pieces(path)) == {"k3", "k4"}
    third = Pieces(path, {"y": "k3", "z": "k4"})
    assert third.get("y", lambda: make("never")) == b"piece of y" and third.made == 0


def test_without_keys_nothing_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.bin"
    for pieces in (NO_PIECES, Pieces(path, {}), Pieces(None, {"x": "k"})):
        assert not pieces.kept
        assert pieces.get("x", lambda: b"made") == b"made"
        pieces.save()
    assert not path.exists()
